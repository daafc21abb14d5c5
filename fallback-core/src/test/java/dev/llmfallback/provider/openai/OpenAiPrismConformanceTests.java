package dev.llmfallback.provider.openai;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.ProviderSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sends the {@code openai} adapter's requests to a Stoplight Prism mock of the official OpenAI
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

	@Test
	void plainRequestIsAccepted() {
		ProviderResponse response = this.provider.chat(new ProviderRequest("gpt-4o-mini", ChatRequest.of("Hello")))
			.block(WAIT);
		assertThat(response).isNotNull();
		assertThat(response.content()).isNotNull();
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
		ProviderResponse response = this.provider.chat(new ProviderRequest("gpt-4o", chat)).block(WAIT);
		assertThat(response).isNotNull();
	}

	@Test
	void streamingRequestIsAccepted() throws Exception {
		// Prism validates the body, then cannot render an event stream from the spec's examples
		// (500 NO_COMPLEX_OBJECT_TEXT). Asking for JSON makes it answer a plain completion, which
		// the adapter reads as a one-chunk stream; the body sent is the adapter's streaming body.
		ChatProvider streaming = create(settings(System.getProperty("prism.url")).header("Accept", "application/json"));
		try {
			ChatRequest chat = ChatRequest.builder().user("Hello").maxTokens(20).build();
			List<ProviderChunk> chunks = streaming.stream(new ProviderRequest("gpt-4o-mini", chat))
				.collectList()
				.block(WAIT);
			assertThat(chunks).isNotEmpty();
		}
		finally {
			((AutoCloseable) streaming).close();
		}
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
