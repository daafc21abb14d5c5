package dev.llmfallback.sample;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11.1 at the sample's entry points: an ordered chain across wire formats reaches its last
 * model with the default retry and max-attempts settings. The providers are loopback stubs speaking
 * the real wire formats: OpenAI answering 503, Anthropic 529 {@code overloaded_error}, Gemini 503
 * {@code UNAVAILABLE}, and a healthy OpenAI. Policy {@code three} is [openai 503, anthropic 529,
 * healthy], policy {@code four} puts Gemini before the healthy one; neither sets retries or
 * {@code max-attempts}.
 */
@SuppressWarnings("unchecked")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OrderedChainEntryPointTests {

	private static final String ANSWER = "served by the last model";

	private static final DisposableServer stubs = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route((routes) -> routes.post("/openai-down/v1/chat/completions",
				(request, response) -> fail(request, response, 503,
						"{\"error\":{\"message\":\"The server is overloaded, please retry\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"))
			.post("/anthropic-overloaded/v1/messages",
					(request, response) -> fail(request, response, 529,
							"{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
			.post("/gemini-down/v1beta/models/{action}",
					(request, response) -> fail(request, response, 503,
							"{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}"))
			.post("/openai-up/v1/chat/completions", OrderedChainEntryPointTests::answer))
		.bindNow();

	@LocalServerPort
	int port;

	@Autowired
	FallbackEngine engine;

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		String base = "http://127.0.0.1:" + stubs.port();
		provider(registry, "stub-openai-down", "openai", base + "/openai-down/v1");
		provider(registry, "stub-anthropic-overloaded", "anthropic", base + "/anthropic-overloaded");
		provider(registry, "stub-gemini-down", "gemini", base + "/gemini-down");
		provider(registry, "stub-openai-up", "openai", base + "/openai-up/v1");
		model(registry, "first-openai", "stub-openai-down", "gpt-4o-mini");
		model(registry, "second-anthropic", "stub-anthropic-overloaded", "claude-3-5-haiku-latest");
		model(registry, "third-gemini", "stub-gemini-down", "gemini-2.0-flash");
		model(registry, "last-openai", "stub-openai-up", "gpt-4o");
		registry.add("llm.fallback.policies.three.models", () -> "first-openai,second-anthropic,last-openai");
		registry.add("llm.fallback.policies.four.models",
				() -> "first-openai,second-anthropic,third-gemini,last-openai");
	}

	private static void provider(DynamicPropertyRegistry registry, String name, String type, String baseUrl) {
		registry.add("llm.fallback.providers." + name + ".type", () -> type);
		registry.add("llm.fallback.providers." + name + ".base-url", () -> baseUrl);
		registry.add("llm.fallback.providers." + name + ".api-key", () -> "stub-key");
	}

	private static void model(DynamicPropertyRegistry registry, String name, String provider, String id) {
		registry.add("llm.fallback.models." + name + ".provider", () -> provider);
		registry.add("llm.fallback.models." + name + ".model", () -> id);
	}

	@AfterAll
	static void stopStubs() {
		stubs.disposeNow();
	}

	/** Each test starts with every model closed, as a fresh application would. */
	@BeforeEach
	void closeEveryCircuit() {
		this.engine.models().keySet().forEach(this.engine::resetCooldown);
	}

	@ParameterizedTest
	@ValueSource(strings = { "three", "four" })
	void chatIsServedByTheLastModel(String policy) {
		Map<String, Object> response = client().post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("prompt", "hi", "policy", policy))
			.retrieve()
			.bodyToMono(Map.class)
			.block();

		assertThat(response).containsEntry("content", ANSWER).containsEntry("servedBy", "last-openai");
		assertAttempts(policy, (List<Map<String, Object>>) response.get("attempts"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "three", "four" })
	void theStreamIsServedByTheLastModel(String policy) {
		List<ServerSentEvent<Map<String, Object>>> events = client().post()
			.uri("/chat/stream")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("prompt", "hi", "policy", policy))
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
			})
			.collectList()
			.block();

		StringBuilder text = new StringBuilder();
		events.stream()
			.filter((event) -> "chunk".equals(event.event()))
			.forEach((event) -> text.append(event.data().get("delta")));
		assertThat(text.toString()).isEqualTo(ANSWER);
		ServerSentEvent<Map<String, Object>> done = events.get(events.size() - 1);
		assertThat(done.event()).isEqualTo("done");
		assertThat(done.data()).containsEntry("servedBy", "last-openai");
		assertAttempts(policy, (List<Map<String, Object>>) done.data().get("attempts"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "three", "four" })
	void theGatewayIsServedByTheLastModel(String policy) {
		Map<String, Object> answer = client().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", policy, "messages", List.of(Map.of("role", "user", "content", "hi"))))
			.exchangeToMono((response) -> response.bodyToMono(Map.class)
				.map((body) -> Map.of("status", response.statusCode().value(), "servedBy",
						response.headers().header("x-fallback-served-by"), "body", body)))
			.block();

		assertThat(answer.get("status")).isEqualTo(200);
		assertThat(answer.get("servedBy")).isEqualTo(List.of("last-openai"));
		Map<String, Object> body = (Map<String, Object>) answer.get("body");
		Map<String, Object> message = (Map<String, Object>) ((List<Map<String, Object>>) body.get("choices")).get(0)
			.get("message");
		assertThat(message).containsEntry("content", ANSWER);
	}

	@ParameterizedTest
	@ValueSource(strings = { "three", "four" })
	void theGatewaysStreamIsServedByTheLastModel(String policy) {
		List<String> data = client().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", policy, "stream", true, "messages",
					List.of(Map.of("role", "user", "content", "hi"))))
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.map((event) -> String.valueOf(event.data()))
			.collectList()
			.block();

		assertThat(data).last().isEqualTo("[DONE]");
		assertThat(String.join("", data)).contains("\"content\":\"" + ANSWER + "\"").doesNotContain("\"error\"");
	}

	/** Every model of the chain was reached; retries were spared for the models after the first. */
	private static void assertAttempts(String policy, List<Map<String, Object>> attempts) {
		List<String> expected = policy.equals("three")
				? List.of("first-openai:service_unavailable", "first-openai:service_unavailable",
						"first-openai:service_unavailable", "second-anthropic:service_unavailable",
						"second-anthropic:service_unavailable", "last-openai:success")
				: List.of("first-openai:service_unavailable", "first-openai:service_unavailable",
						"first-openai:service_unavailable", "second-anthropic:service_unavailable",
						"third-gemini:service_unavailable", "last-openai:success");
		assertThat(attempts).extracting((attempt) -> attempt.get("model") + ":" + attempt.get("outcome"))
			.containsExactlyElementsOf(expected);
	}

	private WebClient client() {
		return LoopbackClients.to(this.port);
	}

	private static Mono<Void> fail(HttpServerRequest request, HttpServerResponse response, int status, String body) {
		return request.receive()
			.then(response.status(status)
				.header("content-type", "application/json")
				.sendString(Mono.just(body), StandardCharsets.UTF_8)
				.then());
	}

	private static Mono<Void> answer(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().flatMap((body) -> {
			if (body.replace(" ", "").contains("\"stream\":true")) {
				String chunk = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":"
						+ "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + ANSWER
						+ "\"},\"finish_reason\":null}]}";
				String end = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":"
						+ "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
				return response.header("content-type", "text/event-stream")
					.sendString(Mono.just("data: " + chunk + "\n\ndata: " + end + "\n\ndata: [DONE]\n\n"))
					.then();
			}
			String completion = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":"
					+ "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER
					+ "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,"
					+ "\"total_tokens\":8}}";
			return response.header("content-type", "application/json").sendString(Mono.just(completion)).then();
		});
	}

}
