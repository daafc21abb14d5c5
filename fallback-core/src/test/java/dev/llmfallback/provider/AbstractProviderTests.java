package dev.llmfallback.provider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.provider.StubServer.Reply;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Transport faults every adapter must classify, run against a real loopback server: refused and
 * silent peers, proxy pages, empty, malformed, oversized and truncated answers.
 */
public abstract class AbstractProviderTests extends ProviderLoopback {

	/** @return a streamed answer that lacks its terminal marker */
	protected abstract String truncatedStream();

	/** @return a whole (not streamed) answer of the wire format, with text */
	protected abstract String plainAnswer();

	/**
	 * An error answer of the wire format carrying a message.
	 * @param message the message
	 * @return the body (OpenAI's envelope unless the format has its own)
	 */
	protected String errorBody(String message) {
		return "{\"error\": {\"message\": " + quote(message) + ", \"type\": \"invalid_request_error\", \"param\": null, \"code\": null}}";
	}

	protected static String quote(String text) {
		return JsonMapper.shared().writeValueAsString(text);
	}

	/** @return the content type of a streamed answer */
	protected String streamContentType() {
		return "text/event-stream";
	}

	protected ChatProvider provider() {
		return provider(settings());
	}

	protected ChatProvider provider(ProviderSettings.Builder settings) {
		return create(settings, webClientBuilder());
	}

	/**
	 * The transport under test: {@code null} for Reactor Netty directly (the default), a builder for
	 * calls through its {@code WebClient} (the {@code ...OverWebClientTests} subclasses).
	 * @return the builder to create the adapter with, or {@code null}
	 */
	protected WebClient.@Nullable Builder webClientBuilder() {
		return null;
	}

	protected static ProviderRequest request(String prompt) {
		return new ProviderRequest("test-model", ChatRequest.of(prompt));
	}

	@Test
	void refusedConnectionIsConnection() {
		ChatProvider provider = provider(settings().baseUrl(baseUrl("http://127.0.0.1:" + StubServer.closedPort())));
		LlmException failure = expectFailure(provider.chat(request("hi")), ErrorCategory.CONNECTION,
				ClassificationBasis.TRANSPORT);
		assertThat(failure.httpStatus()).isNull();
	}

	@Test
	void silentServerIsTimeoutThroughReadTimeout() {
		this.server.enqueue(Reply.hang());
		ChatProvider provider = provider(settings().readTimeout(Duration.ofMillis(300)));
		expectFailure(provider.chat(request("hi")), ErrorCategory.TIMEOUT, ClassificationBasis.TRANSPORT);
	}

	@Test
	void silentStreamIsTimeoutThroughReadTimeout() {
		this.server.enqueue(Reply.hang());
		ChatProvider provider = provider(settings().readTimeout(Duration.ofMillis(300)));
		expectFailure(provider.stream(request("hi")), ErrorCategory.TIMEOUT, ClassificationBasis.TRANSPORT);
	}

	@Test
	void connectionClosedWithoutAnswerIsConnection() {
		this.server.enqueue(Reply.close());
		expectFailure(provider().chat(request("hi")), ErrorCategory.CONNECTION, ClassificationBasis.TRANSPORT);
	}

	@Test
	void malformedJsonIsInvalidResponse() {
		this.server.enqueue(Reply.json(200, "{\"id\": \"x\", \"choices\": [{\"message\": {\"content\": \"Hel"));
		expectFailure(provider().chat(request("hi")), ErrorCategory.INVALID_RESPONSE, ClassificationBasis.BODY);
	}

	@Test
	void emptyBodyOnSuccessIsInvalidResponse() {
		this.server.enqueue(Reply.empty(200, "application/json"));
		expectFailure(provider().chat(request("hi")), ErrorCategory.INVALID_RESPONSE, ClassificationBasis.BODY);
	}

	@Test
	void htmlPageOnSuccessIsInvalidResponse() {
		this.server.enqueue(Reply.body(200, "text/html", "<!DOCTYPE html><html><head><title>Sign in</title></head></html>"));
		expectFailure(provider().chat(request("hi")), ErrorCategory.INVALID_RESPONSE, ClassificationBasis.BODY);
	}

	@Test
	void nginxBadGatewayPageIsServiceUnavailable() {
		// nginx's stock 502 page, as load balancers in front of providers answer it.
		this.server.enqueue(Reply.body(502, "text/html", """
				<html>
				<head><title>502 Bad Gateway</title></head>
				<body>
				<center><h1>502 Bad Gateway</h1></center>
				<hr><center>nginx</center>
				</body>
				</html>
				"""));
		LlmException failure = expectFailure(provider().chat(request("hi")), ErrorCategory.SERVICE_UNAVAILABLE,
				ClassificationBasis.STATUS);
		assertThat(failure.httpStatus()).isEqualTo(502);
		assertThat(failure.getMessage()).contains("502 Bad Gateway").doesNotContain("<html>");
	}

	@Test
	void cloudflareGatewayTimeoutPageIsTimeout() {
		this.server.enqueue(Reply.body(504, "text/html; charset=UTF-8",
				"<!DOCTYPE html><html><head><title>api.example.com | 504: Gateway time-out</title></head><body>cloudflare</body></html>"));
		expectFailure(provider().stream(request("hi")), ErrorCategory.TIMEOUT, ClassificationBasis.STATUS);
	}

	@Test
	void emptyServiceUnavailableIsServiceUnavailableByStatus() {
		this.server.enqueue(Reply.empty(503, null).header("Retry-After", "7"));
		LlmException failure = expectFailure(provider().chat(request("hi")), ErrorCategory.SERVICE_UNAVAILABLE,
				ClassificationBasis.STATUS);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void plainTextInternalServerErrorIsServerError() {
		this.server.enqueue(Reply.body(500, "text/plain", "Internal Server Error"));
		expectFailure(provider().chat(request("hi")), ErrorCategory.SERVER_ERROR, null);
	}

	@Test
	void truncatedStreamIsInvalidResponse() {
		this.server.enqueue(Reply.body(200, streamContentType(), truncatedStream()));
		LlmException failure = expectFailure(provider().stream(request("hi")), ErrorCategory.INVALID_RESPONSE,
				ClassificationBasis.BODY);
		assertThat(failure.getMessage()).contains("terminal marker");
	}

	@Test
	void connectionCutInTheMiddleOfAStreamIsInvalidResponse() {
		this.server.enqueue(Reply.cutOff(streamContentType(), truncatedStream()));
		expectFailure(provider().stream(request("hi")), ErrorCategory.INVALID_RESPONSE, null);
	}

	@Test
	void streamLineLongerThanTheBoundIsInvalidResponse() {
		String longLine = (streamContentType().contains("ndjson") ? "" : "data: ") + "x".repeat(4096) + "\n\n";
		this.server.enqueue(Reply.body(200, streamContentType(), longLine));
		expectFailure(provider(settings().maxResponseBytes(1024)).stream(request("hi")), ErrorCategory.INVALID_RESPONSE,
				ClassificationBasis.BODY);
	}

	@Test
	void answerLargerThanTheBoundIsInvalidResponse() {
		this.server.enqueue(Reply.json(200, "{\"pad\": \"" + "x".repeat(4096) + "\"}"));
		expectFailure(provider(settings().maxResponseBytes(1024)).chat(request("hi")), ErrorCategory.INVALID_RESPONSE,
				ClassificationBasis.BODY);
	}

	@Test
	void errorPageLargerThanTheBoundIsClassifiedByItsStatus() {
		this.server.enqueue(Reply.body(503, "text/html", "<html><body>" + "x".repeat(4096) + "</body></html>"));
		expectFailure(provider(settings().maxResponseBytes(1024)).chat(request("hi")), ErrorCategory.SERVICE_UNAVAILABLE,
				ClassificationBasis.STATUS);
	}

	@Test
	void apiKeyEchoedByTheServerIsRedacted() {
		this.server.enqueue(Reply.json(401, "{\"error\": {\"message\": \"Invalid key " + KEY + "\"}}"));
		LlmException failure = expectFailure(provider().chat(request("hi")), ErrorCategory.AUTHENTICATION, null);
		assertThat(failure.getMessage()).doesNotContain(KEY).contains("[redacted]");
	}

	// A server that cannot stream (issue 11): its refusal is unsupported (next model, no cooldown, no
	// retry), not server_error or invalid_response; a whole answer instead of a stream is an answer.

	static Stream<Arguments> streamRefusals() {
		return Stream.of(Arguments.of(400, "Streaming is not supported for this model"),
				Arguments.of(400, "stream mode is not supported"), Arguments.of(422, "This server does not support streaming"),
				Arguments.of(500, "streaming is not supported by this backend"),
				Arguments.of(501, "Streaming not implemented"));
	}

	@ParameterizedTest(name = "HTTP {0}: {1}")
	@MethodSource("streamRefusals")
	void streamRefusedByTheServerIsUnsupported(int status, String message) {
		this.server.enqueue(Reply.json(status, errorBody(message)));
		LlmException failure = expectFailure(provider().stream(request("Hi")), ErrorCategory.UNSUPPORTED,
				ClassificationBasis.MESSAGE);
		assertThat(failure.httpStatus()).isEqualTo(status);
		assertThat(failure.getMessage()).contains(message);
	}

	@Test
	void streamRefusedAsPlainTextIsUnsupported() {
		this.server.enqueue(Reply.body(501, "text/plain", "Streaming is not supported"));
		expectFailure(provider().stream(request("Hi")), ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE);
	}

	@Test
	void streamRefusedInsideA200IsUnsupported() {
		// A mock server that only answers JSON, with an error object in a 200.
		this.server.enqueue(Reply.json(200, "{\"error\": {\"message\": \"stream is not supported\"}}"));
		LlmException failure = expectFailure(provider().stream(request("Hi")), ErrorCategory.UNSUPPORTED,
				ClassificationBasis.MESSAGE);
		assertThat(failure.category().cooldownEffect()).isEqualTo(ErrorCategory.CooldownEffect.NONE);
		assertThat(failure.category().retriedByDefault()).isFalse();
	}

	@Test
	void streamAnsweredWithAWholeAnswerIsThatAnswer() {
		// Pretty-printed, as a mock server writes it: an NDJSON reader would choke on its first line.
		String whole = JsonMapper.shared().writerWithDefaultPrettyPrinter()
			.writeValueAsString(JsonMapper.shared().readTree(plainAnswer()));
		this.server.enqueue(Reply.json(200, whole));
		this.server.enqueue(Reply.json(200, whole));
		ProviderResponse answer = provider().chat(request("Hi")).block(Duration.ofSeconds(10));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(answer.content()).isNotEmpty();
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly(answer.content(), "");
		assertThat(chunks.get(1).finishReason()).isEqualTo(answer.finishReason());
		assertThat(chunks.get(1).usage()).isEqualTo(answer.usage());
	}

	@Test
	void everyCallCarriesTheHeadersOfItsKind() {
		// Each kind's headers are built at its first call and reused: the later calls must send the same.
		ChatProvider provider = provider(settings().header("X-Team", "search"));
		for (int i = 0; i < 4; i++) {
			this.server.enqueue(Reply.json(200, plainAnswer()));
		}
		provider.chat(request("Hi")).block(Duration.ofSeconds(10));
		provider.stream(request("Hello")).blockLast(Duration.ofSeconds(10));
		provider.chat(request("Hi again")).block(Duration.ofSeconds(10));
		provider.stream(request("Hello again")).blockLast(Duration.ofSeconds(10));
		List<StubServer.Recorded> calls = List.of(this.server.takeRequest(), this.server.takeRequest(),
				this.server.takeRequest(), this.server.takeRequest());
		for (StubServer.Recorded call : calls) {
			assertThat(call.header("Content-Type")).isEqualTo("application/json");
			assertThat(call.header("X-Team")).isEqualTo("search");
			assertThat(call.header("Accept-Encoding")).contains("gzip");
			assertThat(call.header("Content-Length"))
				.isEqualTo(String.valueOf(call.body().getBytes(StandardCharsets.UTF_8).length));
			assertThat(call.headers().toString()).contains(KEY);
		}
		assertThat(calls.get(0).header("Accept")).isEqualTo("application/json");
		assertThat(calls.get(1).header("Accept")).isEqualTo(streamContentType());
		assertThat(withoutLength(calls.get(2))).isEqualTo(withoutLength(calls.get(0)));
		assertThat(withoutLength(calls.get(3))).isEqualTo(withoutLength(calls.get(1)));
	}

	@Test
	void headersThatHttpCannotCarryAreRefusedAtCreation() {
		assertThatIllegalArgumentException().isThrownBy(() -> provider(settings().header("X Team", "search")))
			.withMessageContaining("invalid header name 'X Team' (character 1 is not allowed)");
		assertThatIllegalArgumentException().isThrownBy(() -> provider(settings().header("", "search")))
			.withMessageContaining("invalid header name ''");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> provider(settings().header("X-Secret", "s3cret\r\nX-Injected: 1")))
			.withMessageContaining("header 'X-Secret' that HTTP cannot carry: character 6 is a line break")
			.withMessageNotContaining("s3cret");
		assertThatIllegalArgumentException().isThrownBy(() -> provider(settings().apiKey("sk-test\n" + KEY)))
			.withMessageContaining("api-key that HTTP cannot carry: character 7 is a line break")
			.withMessageNotContaining(KEY);
	}

	private static List<String> withoutLength(StubServer.Recorded call) {
		return call.headers().entries().stream()
			.filter((header) -> !header.getKey().equalsIgnoreCase("Content-Length"))
			.map((header) -> header.getKey() + ": " + header.getValue())
			.toList();
	}

	// Every adapter's documented error bodies: each subclass lists them in a static errors() method.

	@ParameterizedTest(name = "{0}")
	@MethodSource("errors")
	void errorAnswersAreClassified(ErrorCase error) {
		this.server.enqueue(error.reply());
		LlmException failure = expectFailure(provider().chat(request("Hi")), error.category(), error.basis());
		assertThat(failure.httpStatus()).isEqualTo(error.status());
		assertThat(failure.provider()).isEqualTo(provider().name());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("errors")
	void errorAnswersToStreamsAreClassifiedTheSameWay(ErrorCase error) {
		this.server.enqueue(error.reply());
		expectFailure(provider().stream(request("Hi")), error.category(), error.basis());
	}

}
