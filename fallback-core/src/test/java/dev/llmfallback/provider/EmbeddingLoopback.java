package dev.llmfallback.provider;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.llmfallback.EmbeddingRequest.InputType;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.provider.StubServer.Reply;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the embedding tests of each wire format, on the loopback fixture of
 * {@link ProviderLoopback}: the transport faults every format's embeddings meet.
 */
public abstract class EmbeddingLoopback extends ProviderLoopback {

	protected EmbeddingProvider provider() {
		return provider(settings());
	}

	protected EmbeddingProvider provider(ProviderSettings.Builder settings) {
		return (EmbeddingProvider) create(settings, null);
	}

	// Transport faults every format's embeddings meet through the shared HTTP skeleton.

	@Test
	void aRefusedConnectionIsAConnectionFailure() {
		EmbeddingProvider provider = provider(settings().baseUrl("http://127.0.0.1:" + StubServer.closedPort()));
		expectFailure(provider.embed(request("m", null, null, "x")), ErrorCategory.CONNECTION,
				ClassificationBasis.TRANSPORT);
	}

	@Test
	void aProxyPageIsClassifiedByItsStatus() {
		this.server.enqueue(Reply.body(503, "text/html", "<html><body><h1>503 Service Unavailable</h1></body></html>"));
		expectFailure(provider().embed(request("m", null, null, "x")), ErrorCategory.SERVICE_UNAVAILABLE, null);
	}

	@Test
	void anEmptyOrHtmlAnswerIsAnInvalidResponse() {
		this.server.enqueue(Reply.empty(200, "application/json"));
		expectFailure(provider().embed(request("m", null, null, "x")), ErrorCategory.INVALID_RESPONSE,
				ClassificationBasis.BODY);
		this.server.enqueue(Reply.body(200, "text/html", "<!DOCTYPE html><html><head><title>Sign in</title></head></html>"));
		expectFailure(provider().embed(request("m", null, null, "x")), ErrorCategory.INVALID_RESPONSE,
				ClassificationBasis.BODY);
	}

	@Test
	void anAnswerWithoutVectorsIsAnInvalidResponse() {
		this.server.enqueue(Reply.json(200, "{\"unexpected\": true}"));
		expectFailure(provider().embed(request("m", null, null, "x")), ErrorCategory.INVALID_RESPONSE, null);
	}

	@Test
	void theKeyNeverAppearsInAFailure() {
		this.server.enqueue(Reply.json(401, "{\"error\": {\"message\": \"Incorrect API key provided: " + KEY
				+ "\", \"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}"));
		assertThat(expectFailure(provider().embed(request("m", null, null, "x")), ErrorCategory.AUTHENTICATION, null)
			.getMessage()).doesNotContain(KEY);
	}

	protected static ProviderEmbeddingRequest request(String model, Integer dimensions, InputType type,
			String... inputs) {
		return new ProviderEmbeddingRequest(model, List.of(inputs), dimensions, type);
	}

	protected static <T> T await(Mono<T> mono) {
		return mono.block(Duration.ofSeconds(10));
	}

}
