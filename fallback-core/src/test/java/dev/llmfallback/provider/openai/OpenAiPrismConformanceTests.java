package dev.llmfallback.provider.openai;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.ToolChoice;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sends the {@code openai} adapter's requests (text, and since issue 13 tools, tool choices, image
 * parts by URL and data URL, JSON schema formats, assistant tool calls and tool results) to a Stoplight Prism mock of the official OpenAI
 * OpenAPI spec, which answers 422 to any request the spec does not allow. Run by
 * {@code .ci/openai-conformance.sh}, which starts Prism and passes {@code -Dprism.url}; skipped
 * without that property.
 */
class OpenAiPrismConformanceTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private ChatProvider provider;

	@BeforeEach
	void createProvider() {
		String url = System.getProperty("prism.url");
		assumeTrue(url != null && !url.isBlank(),
				"Prism conformance skipped: run .ci/openai-conformance.sh (it passes -Dprism.url)");
		this.provider = create(settings(url));
	}

	@AfterEach
	void closeProvider() throws Exception {
		if (this.provider instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	private static ProviderSettings.Builder settings(String url) {
		// Prism strips the spec's server path: the base URL has no /v1.
		return ProviderSettings.builder("prism", "openai").baseUrl(url).apiKey("sk-conformance-test");
	}

	private static ChatProvider create(ProviderSettings.Builder settings) {
		return ChatProviders.create(settings.build(), null, ClassificationRules.none());
	}

	/**
	 * Sends a request and checks that Prism accepted it. Prism answers every valid request with a
	 * placeholder completion made from the spec's schema, whose tool call has the arguments
	 * {@code "string"}: the adapter rightly refuses that answer ({@code invalid_response}, with the
	 * answer's status 200), which still proves the request passed validation; a request the spec
	 * forbids gets 422 ({@code bad_request}) instead.
	 */
	private static void assertAccepted(ChatProvider provider, ProviderRequest request) {
		assertAccepted(() -> provider.chat(request).block(WAIT));
	}

	private static void assertAccepted(Runnable call) {
		try {
			call.run();
		}
		catch (LlmException ex) {
			assertThat(ex.category()).as(ex.getMessage()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
			assertThat(ex.httpStatus()).isEqualTo(200);
		}
	}

	@Test
	void plainRequestIsAccepted() {
		assertAccepted(this.provider, new ProviderRequest("gpt-4o-mini", ChatRequest.of("Hello")));
	}

	@Test
	void requestWithEveryOptionalParameterIsAccepted() {
		ChatRequest chat = ChatRequest.builder()
			.system("You are terse.")
			.user("Hello")
			.assistant("Hi.")
			.user("What is 2 + 2?")
			.temperature(0.7)
			.maxTokens(50)
			.topP(0.9)
			.stop("END", "STOP")
			.endUser("user-1234")
			.extra("seed", 42)
			.extra("presence_penalty", 0.5)
			.extra("frequency_penalty", 0.1)
			.extra("n", 1)
			.extra("response_format", Map.of("type", "text"))
			.build();
		assertAccepted(this.provider, new ProviderRequest("gpt-4o", chat));
	}

	@Test
	void streamingRequestIsAccepted() throws Exception {
		// Prism validates the body, then cannot render an event stream from the spec's examples
		// (500 NO_COMPLEX_OBJECT_TEXT). Asking for JSON makes it answer a plain completion, which
		// the adapter reads as a one-chunk stream; the body sent is the adapter's streaming body.
		ChatProvider streaming = create(settings(System.getProperty("prism.url")).header("Accept", "application/json"));
		try {
			ChatRequest chat = ChatRequest.builder().user("Hello").maxTokens(20).build();
			assertAccepted(() -> streaming.stream(new ProviderRequest("gpt-4o-mini", chat)).collectList().block(WAIT));
		}
		finally {
			((AutoCloseable) streaming).close();
		}
	}

	// Rich chat (issue 13, point 7): the adapter's requests with tools, images and schemas.

	@Test
	void requestWithToolsAndEveryToolChoiceIsAccepted() {
		Tool weather = Tool.function("get_weather", "Get the weather of a city", Map.of("type", "object", "properties",
				Map.of("location", Map.of("type", "string"), "unit", Map.of("type", "string", "enum", List.of("c", "f"))),
				"required", List.of("location")));
		Tool strict = new Tool("get_time", null, Map.of("type", "object", "properties",
				Map.of("zone", Map.of("type", "string"))), true);
		for (ToolChoice choice : List.of(ToolChoice.AUTO, ToolChoice.NONE, ToolChoice.REQUIRED,
				ToolChoice.named("get_weather"))) {
			ChatRequest chat = ChatRequest.builder()
				.user("Weather and time in Oslo?")
				.tool(weather)
				.tool(strict)
				.toolChoice(choice)
				.parallelToolCalls(false)
				.build();
			assertAccepted(this.provider, new ProviderRequest("gpt-4o", chat));
		}
	}

	@Test
	void requestWithImagesByUrlAndDataUrlIsAccepted() {
		ChatRequest chat = ChatRequest.builder()
			.message(ChatMessage.user(ContentPart.text("What is in these images?"),
					ContentPart.Image.ofUrl("https://example.com/boardwalk.jpg", "low"),
					ContentPart.imageUrl("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")))
			.maxTokens(300)
			.build();
		assertAccepted(this.provider, new ProviderRequest("gpt-4o", chat));
	}

	@Test
	void requestWithJsonSchemaAndJsonObjectFormatsIsAccepted() {
		Map<String, Object> schema = Map.of("type", "object", "properties",
				Map.of("answer", Map.of("type", "string"), "confidence", Map.of("type", "number")), "required",
				List.of("answer"));
		ChatRequest strict = ChatRequest.builder()
			.user("Answer as JSON")
			.responseFormat(new ResponseFormat.JsonSchema("answer", "An answer and how sure it is", schema, true))
			.build();
		assertAccepted(this.provider, new ProviderRequest("gpt-4o", strict));
		ChatRequest loose = ChatRequest.builder().user("Answer as JSON").responseFormat(ResponseFormat.JSON_OBJECT).build();
		assertAccepted(this.provider, new ProviderRequest("gpt-4o", loose));
	}

	@Test
	void conversationWithAssistantToolCallsAndToolResultsIsAccepted() {
		ChatRequest chat = ChatRequest.builder()
			.user("Weather in Paris and Bogotá?")
			.message(ChatMessage.assistant(null,
					List.of(new ToolCall("call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather", "{\"location\":\"Paris\"}"),
							new ToolCall("toolu_01A09q90qw90lq917835lq9|from-another-format-with-a-long-id",
									"get_weather", "{\"location\":\"Bogotá\"}"))))
			.message(ChatMessage.toolResult("call_DdmO9pD3xa9XTPNJ32zg2hcA", "{\"temperature\":14}"))
			.message(ChatMessage.toolResult("toolu_01A09q90qw90lq917835lq9|from-another-format-with-a-long-id",
					"{\"temperature\":18}"))
			.message(ChatMessage.assistant("Let me also say hello.", List.of(new ToolCall("call_2", "get_weather", "{}"))))
			.message(ChatMessage.toolResult("call_2", "{}"))
			.tool(Tool.function("get_weather", null, Map.of("type", "object", "properties",
					Map.of("location", Map.of("type", "string")))))
			.build();
		assertAccepted(this.provider, new ProviderRequest("gpt-4o", chat));
	}

	@Test
	void toolRequestTheSpecForbidsIsRefusedSoToolValidationIsActive() {
		// Control for the rich requests: a tool's type must be "function" (or "custom") in the spec.
		ChatRequest chat = ChatRequest.builder().user("Hello").extra("tools", List.of(Map.of("type", "nonsense"))).build();
		LlmException failure = expectFailure(this.provider.chat(new ProviderRequest("gpt-4o", chat)),
				ErrorCategory.BAD_REQUEST, null);
		assertThat(failure.httpStatus()).isEqualTo(422);
	}

	@Test
	void requestTheSpecForbidsIsRefusedSoValidationIsActive() {
		// Control: temperature is 0..2 in the spec. Without this, a spec Prism failed to compile
		// would accept everything and the tests above would prove nothing.
		ChatRequest chat = ChatRequest.builder().user("Hello").temperature(5.0).build();
		LlmException failure = expectFailure(this.provider.chat(new ProviderRequest("gpt-4o", chat)),
				ErrorCategory.BAD_REQUEST, null);
		assertThat(failure.httpStatus()).isEqualTo(422);
	}

	@Test
	void specifiedRateLimitAnswerIsClassifiedWithItsRetryAfter() throws Exception {
		ChatProvider limited = create(settings(System.getProperty("prism.url")).header("Prefer", "code=429"));
		try {
			LlmException failure = expectFailure(limited.chat(new ProviderRequest("gpt-4o", ChatRequest.of("Hello"))),
					ErrorCategory.RATE_LIMIT, null);
			assertThat(failure.httpStatus()).isEqualTo(429);
		}
		finally {
			((AutoCloseable) limited).close();
		}
	}

}
