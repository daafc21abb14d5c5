package dev.llmfallback.provider;

import java.time.Duration;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.provider.StubServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transport faults every adapter must classify, run against a real loopback server: refused and
 * silent peers, proxy pages, empty, malformed, oversized and truncated answers.
 */
public abstract class AbstractProviderTests {

	protected static final String KEY = "sk-test-0123456789abcdef";

	protected StubServer server;

	private ChatProvider provider;

	@BeforeEach
	void startServer() {
		this.server = StubServer.start();
	}

	@AfterEach
	void stopServer() throws Exception {
		if (this.provider instanceof AutoCloseable closeable) {
			closeable.close();
		}
		this.server.close();
	}

	/** @return the provider type under test */
	protected abstract String type();

	/** @return the base URL for a server at the given root */
	protected String baseUrl(String root) {
		return root;
	}

	/** @return a streamed answer that lacks its terminal marker */
	protected abstract String truncatedStream();

	/** @return the content type of a streamed answer */
	protected String streamContentType() {
		return "text/event-stream";
	}

	protected ProviderSettings.Builder settings() {
		return ProviderSettings.builder("test-" + type(), type()).baseUrl(baseUrl(this.server.url())).apiKey(KEY);
	}

	protected ChatProvider provider() {
		return provider(settings());
	}

	protected ChatProvider provider(ProviderSettings.Builder settings) {
		if (this.provider instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		this.provider = ChatProviders.create(settings.build(), null, ClassificationRules.none());
		return this.provider;
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
