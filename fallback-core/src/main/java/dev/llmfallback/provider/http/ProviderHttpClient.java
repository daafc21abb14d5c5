package dev.llmfallback.provider.http;

import java.time.Duration;

import dev.llmfallback.provider.ProviderSettings;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The HTTP client of one configured provider: its own pooled {@link ConnectionProvider}
 * (keep-alive, idle eviction), {@code TCP_NODELAY}, response compression, the connect timeout, an
 * optional read timeout and a bounded in-memory size. Close it to release the pool.
 */
final class ProviderHttpClient implements AutoCloseable {

	/** Idle connections are closed before typical provider and load-balancer idle limits (60 s+). */
	private static final Duration MAX_IDLE = Duration.ofSeconds(30);

	/** Connections are renewed now and then so DNS changes and rebalanced backends are picked up. */
	private static final Duration MAX_LIFE = Duration.ofMinutes(5);

	private final ConnectionProvider connections;

	private final WebClient webClient;

	private final int maxResponseBytes;

	private ProviderHttpClient(ConnectionProvider connections, WebClient webClient, int maxResponseBytes) {
		this.connections = connections;
		this.webClient = webClient;
		this.maxResponseBytes = maxResponseBytes;
	}

	/**
	 * Builds the client of one provider.
	 * @param settings the provider's settings
	 * @param builder the application's {@code WebClient.Builder} (cloned, never changed)
	 * @return the client
	 */
	static ProviderHttpClient create(ProviderSettings settings, WebClient.Builder builder) {
		ConnectionProvider connections = ConnectionProvider.builder("llm-fallback-" + settings.name())
			.maxConnections(settings.maxConnections())
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(MAX_IDLE)
			.maxLifeTime(MAX_LIFE)
			.evictInBackground(MAX_IDLE)
			.build();
		HttpClient httpClient = HttpClient.create(connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_KEEPALIVE, true)
			.keepAlive(true)
			.compress(true);
		if (settings.readTimeout() != null) {
			httpClient = httpClient.responseTimeout(settings.readTimeout());
		}
		int maxBytes = settings.maxResponseBytes();
		WebClient webClient = ((builder != null) ? builder.clone() : WebClient.builder())
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(maxBytes))
			.build();
		return new ProviderHttpClient(connections, webClient, maxBytes);
	}

	/** @return the web client bound to this provider's pool */
	WebClient webClient() {
		return this.webClient;
	}

	/** @return the most bytes buffered for one answer or one stream line */
	int maxResponseBytes() {
		return this.maxResponseBytes;
	}

	/** Closes the pooled connections. */
	@Override
	public void close() {
		this.connections.disposeLater().subscribe();
	}

}
