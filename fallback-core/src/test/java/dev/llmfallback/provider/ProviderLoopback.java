package dev.llmfallback.provider;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The fixture of each wire format's chat and embedding tests: a real loopback {@link StubServer} per
 * test, and one adapter at a time, made by the format's registered factory as the starter makes it
 * and closed when the next is made or the test ends.
 */
public abstract class ProviderLoopback {

	protected static final String KEY = "sk-test-0123456789abcdef";

	protected StubServer server;

	private @Nullable ChatProvider provider;

	@BeforeEach
	void startServer() {
		this.server = StubServer.start();
	}

	@AfterEach
	void stopServer() throws Exception {
		closeProvider();
		this.server.close();
	}

	/** @return the provider type under test */
	protected abstract String type();

	/** @return the base URL for a server at the given root */
	protected String baseUrl(String root) {
		return root;
	}

	protected ProviderSettings.Builder settings() {
		return ProviderSettings.builder("test-" + type(), type()).baseUrl(baseUrl(this.server.url())).apiKey(KEY);
	}

	/**
	 * Closes the adapter made before, if any, and makes one.
	 * @param settings its settings
	 * @param webClientBuilder {@code null} for Reactor Netty directly, a builder for calls through its
	 * {@code WebClient}
	 * @return the adapter, closed when the next is made or the test ends
	 */
	protected ChatProvider create(ProviderSettings.Builder settings, WebClient.@Nullable Builder webClientBuilder) {
		closeProvider();
		this.provider = ChatProviders.create(settings.build(), webClientBuilder, ClassificationRules.none());
		return this.provider;
	}

	private void closeProvider() {
		if (this.provider instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		this.provider = null;
	}

}
