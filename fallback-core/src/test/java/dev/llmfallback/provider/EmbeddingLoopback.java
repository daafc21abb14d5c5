package dev.llmfallback.provider;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Mono;

import dev.llmfallback.EmbeddingRequest.InputType;

/**
 * Base of the embedding tests of each wire format: a real loopback {@link StubServer} and the
 * format's adapter made by its registered factory, as the starter makes it.
 */
public abstract class EmbeddingLoopback {

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

	protected ProviderSettings.Builder settings() {
		return ProviderSettings.builder("test-" + type(), type()).baseUrl(this.server.url()).apiKey(KEY);
	}

	protected EmbeddingProvider provider() {
		this.provider = ChatProviders.create(settings().build(), null, ClassificationRules.none());
		return (EmbeddingProvider) this.provider;
	}

	protected static ProviderEmbeddingRequest request(String model, Integer dimensions, InputType type,
			String... inputs) {
		return new ProviderEmbeddingRequest(model, List.of(inputs), dimensions, type);
	}

	protected static <T> T await(Mono<T> mono) {
		return mono.block(Duration.ofSeconds(10));
	}

}
