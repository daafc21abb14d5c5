package dev.llmfallback.sample;

import java.util.List;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming endpoint and the OpenAI-compatible gateway, over real HTTP, with a primary that is
 * always rate limited, so every answer hops to claude-haiku.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.providers.flaky.rate-limited=1.0",
				"sample.simulator.providers.flaky.overloaded=0", "sample.simulator.providers.flaky.slow=0",
				"llm.fallback.policies.chat.retry.max-retries=0", "llm.fallback.policies.chat.cooldown.failures=1000" })
@SuppressWarnings("unchecked")
class GatewayAndStreamTests {

	@LocalServerPort
	int port;

	private WebClient client() {
		return LoopbackClients.to(this.port);
	}

	/** status, content type, headers and parsed body of a POST. */
	private Map<String, Object> post(String path, Object body) {
		return client().post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> response.bodyToMono(Map.class)
				.defaultIfEmpty(Map.of())
				.map((parsed) -> Map.of("status", response.statusCode().value(), "type",
						response.headers().contentType().map(MediaType::toString).orElse(""), "servedBy",
						response.headers().header(OpenAiChatCompletions.SERVED_BY), "attempts",
						response.headers().header(OpenAiChatCompletions.ATTEMPTS), "body", parsed)))
			.block();
	}

	@Test
	void chatStreamSendsChunksThenADoneEventWithTheAttempts() {
		List<ServerSentEvent<Map<String, Object>>> events = client().post()
			.uri("/chat/stream")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("prompt", "stream please"))
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
			})
			.collectList()
			.block();

		assertThat(events).extracting(ServerSentEvent::event).contains("chunk").last().isEqualTo("done");
		StringBuilder text = new StringBuilder();
		events.stream().filter((event) -> "chunk".equals(event.event())).forEach((event) -> text.append(event.data().get("delta")));
		assertThat(text.toString()).contains("You asked: \"stream please\"");
		Map<String, Object> done = events.get(events.size() - 1).data();
		assertThat(done).containsEntry("servedBy", "claude-haiku").containsEntry("fallbacks", 1);
		assertThat((List<Map<String, Object>>) done.get("attempts")).extracting((attempt) -> attempt.get("outcome"))
			.containsExactly("rate_limit", "success");
	}

	@Test
	void chatStreamRejectsAnUnknownPolicyWithAProblemDetail() {
		Map<String, Object> response = post("/chat/stream", Map.of("prompt", "hi", "policy", "nope"));
		assertThat(response.get("status")).isEqualTo(400);
		assertThat(response.get("type")).isEqualTo("application/problem+json");
		assertThat((Map<String, Object>) response.get("body")).containsEntry("category", "bad_request");
	}

	@Test
	void malformedJsonIsAProblemDetail() {
		Map<String, Object> response = post("/chat", "{\"prompt\": ");
		assertThat(response.get("status")).isEqualTo(400);
		assertThat(response.get("type")).isEqualTo("application/problem+json");
		assertThat((Map<String, Object>) response.get("body")).containsEntry("category", "bad_request")
			.containsKey("attempts");
	}

	@Test
	void completionsAnswerInTheOpenAiFormatWithFallbackHeaders() {
		Map<String, Object> response = post("/v1/chat/completions",
				Map.of("model", "chat", "messages", List.of(Map.of("role", "user", "content", "hi"))));

		assertThat(response.get("status")).isEqualTo(200);
		assertThat(response.get("servedBy")).isEqualTo(List.of("claude-haiku"));
		assertThat(response.get("attempts")).isEqualTo(List.of("2"));
		Map<String, Object> body = (Map<String, Object>) response.get("body");
		assertThat(body).containsEntry("object", "chat.completion").containsEntry("model", "claude-haiku");
		Map<String, Object> choice = ((List<Map<String, Object>>) body.get("choices")).get(0);
		assertThat((Map<String, Object>) choice.get("message")).containsEntry("role", "assistant");
		assertThat((Map<String, Object>) body.get("usage")).containsKeys("prompt_tokens", "completion_tokens", "total_tokens");
	}

	@Test
	void aConfiguredModelCanBeNamedDirectly() {
		Map<String, Object> response = post("/v1/chat/completions",
				Map.of("model", "gpt-4o", "messages", List.of(Map.of("role", "user", "content", "hi"))));
		assertThat(response.get("servedBy")).isEqualTo(List.of("gpt-4o"));
	}

	@Test
	void anUnknownModelIsAnOpenAiNotFoundError() {
		Map<String, Object> response = post("/v1/chat/completions",
				Map.of("model", "gpt-99", "messages", List.of(Map.of("role", "user", "content", "hi"))));
		assertThat(response.get("status")).isEqualTo(404);
		Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) response.get("body")).get("error");
		assertThat(error).containsEntry("type", "invalid_request_error")
			.containsEntry("code", "model_not_found")
			.containsEntry("category", "not_found");
		assertThat((String) error.get("message")).contains("gpt-99");
	}

	@Test
	void missingMessagesAreAnOpenAiBadRequest() {
		Map<String, Object> response = post("/v1/chat/completions", Map.of("model", "chat", "messages", List.of()));
		assertThat(response.get("status")).isEqualTo(400);
		assertThat((Map<String, Object>) ((Map<String, Object>) response.get("body")).get("error"))
			.containsEntry("code", "bad_request");
	}

	@Test
	void fieldsWhoseOutputTheAnswerCannotCarryAreRefusedByNameNeverDropped() {
		List<Map<String, Object>> hi = List.of(Map.of("role", "user", "content", "hi"));
		Map<String, Object> refusals = Map.of("n", Map.of("n", 2), "logprobs", Map.of("logprobs", true), "audio",
				Map.of("modalities", List.of("text", "audio")), "functions",
				Map.of("functions", List.of(Map.of("name", "f"))), "custom",
				Map.of("tools", List.of(Map.of("type", "custom", "custom", Map.of("name", "c")))));
		refusals.forEach((named, fields) -> {
			Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("model", "chat", "messages", hi));
			body.putAll((Map<String, Object>) fields);
			assertThat(errorMessage(post("/v1/chat/completions", body))).as(named).contains(named);
		});
		Map<String, Object> audio = post("/v1/chat/completions", Map.of("model", "chat", "messages",
				List.of(Map.of("role", "user", "content",
						List.of(Map.of("type", "input_audio", "input_audio", Map.of("data", "AAAA", "format", "wav")))))));
		assertThat(errorMessage(audio)).contains("input_audio");
		Map<String, Object> notBase64 = post("/v1/chat/completions", Map.of("model", "chat", "messages",
				List.of(Map.of("role", "user", "content",
						List.of(Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64,not base64!")))))));
		assertThat(errorMessage(notBase64)).contains("base64");
	}

	@Test
	void tenThousandToolsAreRefusedWithAClearMessage() {
		List<Map<String, Object>> tools = new java.util.ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			tools.add(Map.of("type", "function", "function", Map.of("name", "tool_" + i)));
		}
		Map<String, Object> answer = post("/v1/chat/completions",
				Map.of("model", "chat", "messages", List.of(Map.of("role", "user", "content", "hi")), "tools", tools));
		assertThat(errorMessage(answer)).contains("10000 tools").contains("128");
	}

	@Test
	void aSchemaNestedAThousandDeepIsABadRequest() {
		// Sent as text: the client's own JSON writer would refuse to nest this deep.
		String schema = "{\"type\":\"object\",\"properties\":{\"a\":".repeat(1_000) + "{\"type\":\"string\"}"
				+ "}}".repeat(1_000);
		Map<String, Object> answer = post("/v1/chat/completions",
				"{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":"
						+ "\"function\",\"function\":{\"name\":\"deep\",\"parameters\":" + schema + "}}]}");
		assertThat(answer.get("status")).isEqualTo(400);
		assertThat(errorMessage(answer)).isNotBlank();
	}

	private static String errorMessage(Map<String, Object> response) {
		assertThat(response.get("status")).as(String.valueOf(response.get("body"))).isEqualTo(400);
		return (String) ((Map<String, Object>) ((Map<String, Object>) response.get("body")).get("error")).get("message");
	}

	@Test
	void theFirstStreamedDeltaSaysTheAssistantSpeaks() {
		String events = client().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "claude-haiku", "stream", true, "messages",
					List.of(Map.of("role", "developer", "content", "be brief"), Map.of("role", "user",
							"content", List.of(Map.of("type", "text", "text", "hi"))))))
			.retrieve()
			.bodyToMono(String.class)
			.block(java.time.Duration.ofSeconds(20));
		String first = events.lines().filter((line) -> line.startsWith("data: {")).findFirst().orElseThrow();
		assertThat(first).contains("\"delta\":{\"role\":\"assistant\"");
		assertThat(events.lines().filter((line) -> line.contains("\"role\""))).hasSize(1);
	}

	@Test
	@SuppressWarnings("unchecked")
	void aFieldNoModelCanCarryIsA400NamingWhatEachModelLacksNeverDropped() {
		// Anthropic's Messages API has no author name: the one model asked for cannot serve it.
		Map<String, Object> answer = post("/v1/chat/completions", Map.of("model", "claude-haiku", "messages",
				List.of(Map.of("role", "user", "name", "ann", "content", "hi"))));
		assertThat(answer.get("status")).isEqualTo(400);
		Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) answer.get("body")).get("error");
		assertThat((String) error.get("message")).contains("claude-haiku").contains("messages[].name");
		assertThat(error.get("category")).isEqualTo("unsupported");
	}

	@Test
	void modelsListsPoliciesAndModels() {
		Map<String, Object> models = client().get().uri("/v1/models").retrieve().bodyToMono(Map.class).block();
		assertThat((List<Map<String, Object>>) models.get("data")).extracting((model) -> model.get("id"))
			.containsExactly("chat", "embed", "gpt-4o-mini", "claude-haiku", "gpt-4o", "embed-small", "embed-small-backup");
	}

	private OpenAIClient openAi() {
		return OpenAIOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port + "/v1")
			.apiKey("not-needed")
			.maxRetries(0)
			.build();
	}

	@Test
	void theOfficialOpenAiSdkGetsAnAnswer() {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("chat")
			.addUserMessage("Hello from the SDK")
			.build();

		HttpResponseFor<ChatCompletion> response = openAi().chat().completions().withRawResponse().create(params);

		assertThat(response.headers().values(OpenAiChatCompletions.SERVED_BY)).containsExactly("claude-haiku");
		ChatCompletion completion = response.parse();
		assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(
				(content) -> assertThat(content).contains("Hello from the SDK"));
		assertThat(completion.usage()).isPresent();
	}

	@Test
	void theOfficialOpenAiSdkStreamsAnAnswer() {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("chat")
			.addUserMessage("Stream from the SDK")
			.build();
		StringBuilder text = new StringBuilder();
		java.util.List<String> finishReasons = new java.util.ArrayList<>();

		try (StreamResponse<ChatCompletionChunk> stream = openAi().chat().completions().createStreaming(params)) {
			stream.stream().forEach((chunk) -> chunk.choices().forEach((choice) -> {
				choice.delta().content().ifPresent(text::append);
				choice.finishReason().ifPresent((reason) -> finishReasons.add(reason.asString()));
			}));
		}

		assertThat(text.toString()).contains("Stream from the SDK");
		assertThat(finishReasons).containsExactly("stop");
	}

}
