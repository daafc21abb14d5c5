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
		return WebClient.create("http://127.0.0.1:" + this.port);
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
						response.headers().header(OpenAiGatewayController.SERVED_BY), "attempts",
						response.headers().header(OpenAiGatewayController.ATTEMPTS), "body", parsed)))
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
	void fieldsTheGatewayCannotTranslateAreRefusedByNameNeverDropped() {
		Map<String, Object> tools = post("/v1/chat/completions", Map.of("model", "chat", "messages",
				List.of(Map.of("role", "user", "content", "hi")), "tools", List.of(Map.of("type", "function"))));
		assertThat(tools.get("status")).isEqualTo(400);
		assertThat((String) ((Map<String, Object>) ((Map<String, Object>) tools.get("body")).get("error")).get("message"))
			.contains("tools");
		Map<String, Object> image = post("/v1/chat/completions", Map.of("model", "chat", "messages",
				List.of(Map.of("role", "user", "content",
						List.of(Map.of("type", "image_url", "image_url", Map.of("url", "https://example.invalid/a.png")))))));
		assertThat(image.get("status")).isEqualTo(400);
		assertThat((String) ((Map<String, Object>) ((Map<String, Object>) image.get("body")).get("error")).get("message"))
			.contains("image_url");
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

		assertThat(response.headers().values(OpenAiGatewayController.SERVED_BY)).containsExactly("claude-haiku");
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
