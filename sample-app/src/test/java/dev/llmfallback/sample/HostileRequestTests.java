package dev.llmfallback.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken requests over real HTTP. {@code /chat} and {@code /chat/stream} must answer a
 * problem detail ({@code application/problem+json}, {@code category: bad_request}, {@code attempts})
 * with a 4xx; {@code /v1/*} must answer OpenAI's error envelope with a 4xx. Never a 500, never a
 * call to a provider.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.providers.flaky.rate-limited=0", "sample.simulator.providers.flaky.overloaded=0",
				"sample.simulator.providers.flaky.slow=0" })
class HostileRequestTests {

	/** Above the 20MB limit set by spring.http.codecs.max-in-memory-size in application.yml (one byte over). */
	static final String OVERSIZED_PROMPT = "x".repeat(20 * 1024 * 1024 + 1);

	static final String DEEPLY_NESTED = "{\"prompt\":\"hi\",\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";

	@LocalServerPort
	int port;

	record Answer(int status, String contentType, String body) {

		Map<String, Object> json() {
			return JsonMapper.shared().readValue(this.body, new TypeReference<>() {
			});
		}

	}

	Answer send(HttpMethod method, String path, String contentType, byte[] body, String accept) {
		WebClient.RequestBodySpec request = LoopbackClients.to(this.port).method(method).uri(path);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		if (accept != null) {
			request.header("Accept", accept);
		}
		WebClient.RequestHeadersSpec<?> spec = (body != null) ? request.bodyValue(body) : request;
		return spec
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((text) -> new Answer(response.statusCode().value(),
						response.headers().contentType().map(MediaType::toString).orElse(""), text)))
			.block(Duration.ofSeconds(20));
	}

	Answer post(String path, String contentType, String body) {
		String accept = path.equals("/chat/stream") ? "text/event-stream" : null;
		return send(HttpMethod.POST, path, contentType, (body != null) ? body.getBytes(StandardCharsets.UTF_8) : null,
				accept);
	}

	/** Bodies that {@code /chat} and {@code /chat/stream} must refuse, and the status expected. */
	static Stream<Arguments> badChatBodies() {
		String json = "application/json";
		return Stream.of(Arguments.of("malformed JSON", json, "{\"prompt\": \"hi\"", 400),
				Arguments.of("empty body", json, "", 400), Arguments.of("JSON null", json, "null", 400),
				Arguments.of("a JSON array", json, "[1,2]", 400), Arguments.of("a JSON string", json, "\"hi\"", 400),
				Arguments.of("empty object", json, "{}", 400),
				Arguments.of("empty messages", json, "{\"messages\":[]}", 400),
				Arguments.of("blank prompt", json, "{\"prompt\":\"   \"}", 400),
				Arguments.of("messages is a string", json, "{\"messages\":\"x\"}", 400),
				Arguments.of("prompt is a number", json, "{\"prompt\":5}", 400),
				Arguments.of("prompt is an object", json, "{\"prompt\":{\"a\":1}}", 400),
				Arguments.of("temperature is text", json, "{\"prompt\":\"hi\",\"temperature\":\"hot\"}", 400),
				Arguments.of("negative temperature", json, "{\"prompt\":\"hi\",\"temperature\":-1}", 400),
				Arguments.of("maxTokens zero", json, "{\"prompt\":\"hi\",\"maxTokens\":0}", 400),
				Arguments.of("infinite temperature", json, "{\"prompt\":\"hi\",\"temperature\":1e400}", 400),
				Arguments.of("maxTokens beyond int", json, "{\"prompt\":\"hi\",\"maxTokens\":99999999999999}", 400),
				Arguments.of("maxTokens fractional", json, "{\"prompt\":\"hi\",\"maxTokens\":1.5}", 400),
				Arguments.of("message without role", json, "{\"messages\":[{\"content\":\"hi\"}]}", 400),
				Arguments.of("unknown role", json, "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", 400),
				Arguments.of("null message", json, "{\"messages\":[null]}", 400),
				Arguments.of("content is a number", json, "{\"messages\":[{\"role\":\"user\",\"content\":5}]}", 400),
				Arguments.of("unknown policy", json, "{\"prompt\":\"hi\",\"policy\":\"nope\"}", 400),
				Arguments.of("policy is a list", json, "{\"prompt\":\"hi\",\"policy\":[\"chat\"]}", 400),
				Arguments.of("deeply nested JSON", json, DEEPLY_NESTED, 400),
				Arguments.of("wrong content type", "text/plain", "{\"prompt\":\"hi\"}", 415),
				Arguments.of("form content type", "application/x-www-form-urlencoded", "prompt=hi", 415),
				Arguments.of("no content type", null, "{\"prompt\":\"hi\"}", 415),
				Arguments.of("oversized body", json, "{\"prompt\":\"" + OVERSIZED_PROMPT + "\"}", 413));
	}

	@ParameterizedTest(name = "/chat: {0}")
	@MethodSource("badChatBodies")
	void chatAnswersAProblemDetail(String name, String contentType, String body, int status) {
		assertProblem(post("/chat", contentType, body), status);
	}

	@ParameterizedTest(name = "/chat/stream: {0}")
	@MethodSource("badChatBodies")
	void chatStreamAnswersAProblemDetail(String name, String contentType, String body, int status) {
		assertProblem(post("/chat/stream", contentType, body), status);
	}

	private static void assertProblem(Answer answer, int status) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(status);
		assertThat(answer.contentType()).as(answer.body()).startsWith("application/problem+json");
		Map<String, Object> problem = answer.json();
		assertThat(problem).containsEntry("category", "bad_request")
			.containsEntry("status", status)
			.containsKeys("attempts", "title", "detail");
		assertThat((List<?>) problem.get("attempts")).isEmpty();
		// No stack traces, class names or framework internals in what a client reads.
		assertThat(answer.body()).doesNotContain("Exception").doesNotContain("java.").doesNotContain("dev.llmfallback");
	}

	/** Bodies that {@code /v1/chat/completions} must refuse, and the status expected. */
	static Stream<Arguments> badCompletionBodies() {
		String json = "application/json";
		String hi = "[{\"role\":\"user\",\"content\":\"hi\"}]";
		return Stream.of(Arguments.of("malformed JSON", json, "{\"model\":\"chat\"", 400),
				Arguments.of("empty body", json, "", 400), Arguments.of("JSON null", json, "null", 400),
				Arguments.of("a JSON array", json, "[]", 400), Arguments.of("empty object", json, "{}", 400),
				Arguments.of("no model", json, "{\"messages\":" + hi + "}", 400),
				Arguments.of("model is a number", json, "{\"model\":5,\"messages\":" + hi + "}", 400),
				Arguments.of("unknown model", json, "{\"model\":\"gpt-99\",\"messages\":" + hi + "}", 404),
				Arguments.of("no messages", json, "{\"model\":\"chat\"}", 400),
				Arguments.of("empty messages", json, "{\"model\":\"chat\",\"messages\":[]}", 400),
				Arguments.of("messages is a string", json, "{\"model\":\"chat\",\"messages\":\"x\"}", 400),
				Arguments.of("message without role", json, "{\"model\":\"chat\",\"messages\":[{\"content\":\"hi\"}]}", 400),
				Arguments.of("unknown role", json,
						"{\"model\":\"chat\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", 400),
				Arguments.of("null message", json, "{\"model\":\"chat\",\"messages\":[null]}", 400),
				Arguments.of("content is a number", json,
						"{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", 400),
				Arguments.of("temperature is text", json,
						"{\"model\":\"chat\",\"temperature\":\"hot\",\"messages\":" + hi + "}", 400),
				Arguments.of("negative max_tokens", json, "{\"model\":\"chat\",\"max_tokens\":-5,\"messages\":" + hi + "}",
						400),
				Arguments.of("top_p above 1", json, "{\"model\":\"chat\",\"top_p\":7,\"messages\":" + hi + "}", 400),
				Arguments.of("infinite temperature", json,
						"{\"model\":\"chat\",\"temperature\":1e400,\"messages\":" + hi + "}", 400),
				Arguments.of("max_tokens beyond int", json,
						"{\"model\":\"chat\",\"max_tokens\":99999999999999,\"messages\":" + hi + "}", 400),
				Arguments.of("max_tokens fractional", json,
						"{\"model\":\"chat\",\"max_tokens\":0.5,\"messages\":" + hi + "}", 400),
				Arguments.of("stop is a number", json, "{\"model\":\"chat\",\"stop\":5,\"messages\":" + hi + "}", 400),
				Arguments.of("stream is text", json, "{\"model\":\"chat\",\"stream\":\"yes\",\"messages\":" + hi + "}",
						400),
				Arguments.of("streamed, unknown role", json,
						"{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", 400),
				Arguments.of("deeply nested JSON", json,
						"{\"model\":\"chat\",\"messages\":" + hi + ",\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}",
						400),
				Arguments.of("image data URL not base64", json,
						"{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
								+ "\"image_url\":{\"url\":\"data:image/png;base64,%%% not base64 %%%\"}}]}]}",
						400),
				Arguments.of("schema nested 1,000 deep", json, "{\"model\":\"chat\",\"messages\":" + hi
						+ ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"deep\",\"schema\":"
						+ "{\"type\":\"object\",\"properties\":{\"a\":".repeat(1_000) + "{}" + "}}".repeat(1_000) + "}}}", 400),
				Arguments.of("schema nested 200 deep", json, "{\"model\":\"chat\",\"messages\":" + hi
						+ ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"deep\",\"schema\":"
						+ "{\"items\":".repeat(200) + "{}" + "}".repeat(200) + "}}}", 400),
				Arguments.of("10,000 tools", json, "{\"model\":\"chat\",\"messages\":" + hi + ",\"tools\":["
						+ String.join(",", java.util.Collections.nCopies(10_000,
								"{\"type\":\"function\",\"function\":{\"name\":\"t\"}}")) + "]}", 400),
				Arguments.of("custom tool", json, "{\"model\":\"chat\",\"messages\":" + hi
						+ ",\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"c\"}}]}", 400),
				Arguments.of("n of 3", json, "{\"model\":\"chat\",\"n\":3,\"messages\":" + hi + "}", 400),
				Arguments.of("tool message without id", json,
						"{\"model\":\"chat\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", 400),
				Arguments.of("wrong content type", "text/plain", "{\"model\":\"chat\",\"messages\":" + hi + "}", 415),
				Arguments.of("oversized body", json,
						"{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + OVERSIZED_PROMPT + "\"}]}",
						413));
	}

	@ParameterizedTest(name = "/v1/chat/completions: {0}")
	@MethodSource("badCompletionBodies")
	void completionsAnswerOpenAisErrorEnvelope(String name, String contentType, String body, int status) {
		assertEnvelope(post("/v1/chat/completions", contentType, body), status);
	}

	@Test
	void wrongMethodsAndUnknownPathsUnderV1AnswerTheEnvelope() {
		assertEnvelope(send(HttpMethod.GET, "/v1/chat/completions", null, null, null), 405);
		assertEnvelope(send(HttpMethod.POST, "/v1/models", "application/json", "{}".getBytes(), null), 405);
		assertEnvelope(send(HttpMethod.GET, "/v1/nothing-here", null, null, null), 404);
	}

	@Test
	void bytesThatAreNotUtf8AreRefused() {
		byte[] body = { '{', '"', 'p', 'r', 'o', 'm', 'p', 't', '"', ':', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '"', '}' };
		assertProblem(send(HttpMethod.POST, "/chat", "application/json", body, null), 400);
		assertEnvelope(send(HttpMethod.POST, "/v1/chat/completions", "application/json", body, null), 400);
	}

	@Test
	void wrongMethodsOnChatAnswerAProblemDetail() {
		assertProblem(send(HttpMethod.GET, "/chat", null, null, null), 405);
		assertThat(LoopbackClients.to(this.port)
			.get()
			.uri("/chat")
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.headers().asHttpHeaders().getAllow()))
			.block(Duration.ofSeconds(10))).containsExactly(HttpMethod.POST);
		assertProblem(send(HttpMethod.PUT, "/chat/stream", "application/json", "{}".getBytes(), null), 405);
	}

	private static void assertEnvelope(Answer answer, int status) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(status);
		assertThat(answer.contentType()).as(answer.body()).startsWith("application/json");
		Map<String, Object> body = answer.json();
		assertThat(body).containsOnlyKeys("error");
		@SuppressWarnings("unchecked")
		Map<String, Object> error = (Map<String, Object>) body.get("error");
		assertThat(error).containsKeys("message", "type", "param", "code");
		assertThat(error.get("message")).isInstanceOf(String.class);
		assertThat(error.get("type")).isEqualTo("invalid_request_error");
		assertThat(answer.body()).doesNotContain("Exception").doesNotContain("java.").doesNotContain("dev.llmfallback");
	}

	@Test
	void detailsSayWhatIsWrongWithTheRequest() {
		String json = "application/json";
		assertThat(detail(post("/chat", json, "{\"prompt\":5}"))).isEqualTo("'prompt' must be a string");
		assertThat(detail(post("/chat", json, "{\"messages\":\"x\"}"))).isEqualTo("'messages' must be an array");
		assertThat(detail(post("/chat", json, "{\"prompt\":\"hi\",\"temperature\":\"hot\"}")))
			.isEqualTo("'temperature' must be a number");
		assertThat(detail(post("/chat", json, "{\"messages\":[{\"content\":\"hi\"}]}")))
			.isEqualTo("Invalid 'messages[0]': 'role' is required");
		assertThat(detail(post("/chat", json, "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}")))
			.startsWith("Invalid 'messages[0].role': Unknown role 'wizard'");
		assertThat(detail(post("/chat", json, "{\"messages\":[null]}"))).isEqualTo("messages must not contain null");
		assertThat(detail(post("/chat", json, "{\"prompt\": \"hi\""))).startsWith("The request body is not valid JSON");
		assertThat(detail(post("/chat", json, ""))).isEqualTo("No request body");
		assertThat(detail(post("/chat", json, "[1,2]"))).isEqualTo("The request body must be a JSON object");
		assertThat(detail(post("/chat", json, DEEPLY_NESTED))).startsWith("The request body exceeds the JSON limits");
		assertThat(detail(post("/chat", "text/plain", "hi"))).startsWith("Content type 'text/plain");
		assertThat(detail(post("/chat", json, "{\"prompt\":\"" + OVERSIZED_PROMPT + "\"}")))
			.startsWith("The request body is larger than the server accepts");
		assertThat(detail(post("/chat", json, "{\"prompt\":\"hi\",\"maxTokens\":99999999999999}")))
			.isEqualTo("'maxTokens' is out of range");
		assertThat(detail(post("/chat", json, "{\"prompt\":\"hi\",\"maxTokens\":1.5}")))
			.isEqualTo("'maxTokens' must be an integer");
		assertThat(detail(post("/chat", json, "{\"prompt\":\"hi\",\"temperature\":1e400}")))
			.startsWith("temperature must be a finite number");
		assertThat(detail(post("/chat", json, "{\"prompt\":\"hi\",\"policy\":\"nope\"}")))
			.startsWith("Unknown policy 'nope'");
	}

	private static String detail(Answer answer) {
		return (String) answer.json().get("detail");
	}

	@Test
	void aPromptJustUnderTheLimitIsServed() {
		Answer answer = post("/chat", "application/json",
				"{\"messages\":[{\"role\":\"user\",\"content\":\"" + "word ".repeat(100_000) + "\"}]}");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
	}

	@Test
	void anImageAsADataUrlJustUnderTwentyMegabytesIsNotRefusedForItsSize() {
		String data = "A".repeat(19 * 1024 * 1024);
		Answer answer = post("/v1/chat/completions", "application/json",
				"{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
						+ "\"what is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + data
						+ "\"}}]}]}");
		assertThat(answer.status()).as(answer.body()).isNotEqualTo(413);
		assertThat(answer.body()).doesNotContain("larger than the server accepts").doesNotContain("JSON limits");
	}

	@Test
	void theAppStillServesAfterTheHostileRequests() {
		post("/chat", "application/json", DEEPLY_NESTED);
		post("/chat", "application/json", "{\"prompt\":\"" + OVERSIZED_PROMPT + "\"}");
		Answer answer = post("/chat", "application/json", "{\"prompt\":\"still there?\"}");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json()).containsKey("servedBy");
	}

}
