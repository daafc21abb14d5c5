package dev.llmfallback.provider.http;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

import dev.llmfallback.provider.ProviderSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The HTTP client of one configured provider: its own pooled connections (keep-alive, idle
 * eviction, at most {@code max-connections}), {@code TCP_NODELAY}, response compression, the connect
 * timeout, an optional read timeout and a bounded in-memory size. Close it to release the pools.
 * <p>
 * Two transports over the same Reactor Netty client settings. Given a {@link WebClient.Builder}, calls
 * go through the {@link WebClient} it builds, over one pool, so that its filters, default headers and
 * observation apply. Given none, they go straight to Reactor Netty's {@link HttpClient}, over one pool
 * per event loop ({@link EventLoopLanes}): the same request on the wire without WebClient's per-call
 * layers (request and response wrappers, exchange functions, and the client observation where one is
 * configured), which cost the gateway about 13 % of its CPU per request even without an observation.
 */
final class ProviderHttpClient implements AutoCloseable {

	/** Idle connections are closed before typical provider and load-balancer idle limits (60 s+). */
	private static final Duration MAX_IDLE = Duration.ofSeconds(30);

	/** Connections are renewed now and then so DNS changes and rebalanced backends are picked up. */
	private static final Duration MAX_LIFE = Duration.ofMinutes(5);

	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	/** The direct transport's connections, one pool per event loop; {@code null} with a {@link WebClient}. */
	private final @Nullable EventLoopLanes lanes;

	/** The {@link WebClient} transport's connections, one pool; {@code null} without one. */
	private final @Nullable ConnectionProvider webClientConnections;

	private final @Nullable WebClient webClient;

	private final int maxResponseBytes;

	private ProviderHttpClient(@Nullable EventLoopLanes lanes, @Nullable ConnectionProvider webClientConnections,
			@Nullable WebClient webClient, int maxResponseBytes) {
		this.lanes = lanes;
		this.webClientConnections = webClientConnections;
		this.webClient = webClient;
		this.maxResponseBytes = maxResponseBytes;
	}

	/**
	 * Builds the client of one provider.
	 * @param settings the provider's settings
	 * @param builder the application's {@code WebClient.Builder} (cloned, never changed), or
	 * {@code null} to call Reactor Netty directly
	 * @return the client
	 */
	static ProviderHttpClient create(ProviderSettings settings, WebClient.@Nullable Builder builder) {
		Function<ConnectionProvider.Builder, ConnectionProvider.Builder> pool = (connections) -> connections
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(MAX_IDLE)
			.maxLifeTime(MAX_LIFE)
			.evictInBackground(MAX_IDLE);
		Function<ConnectionProvider, HttpClient> client = (connections) -> {
			HttpClient httpClient = HttpClient.create(connections)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
						(int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
				.option(ChannelOption.TCP_NODELAY, true)
				.option(ChannelOption.SO_KEEPALIVE, true)
				.keepAlive(true)
				.compress(true);
			return (settings.readTimeout() != null) ? httpClient.responseTimeout(settings.readTimeout()) : httpClient;
		};
		int maxBytes = settings.maxResponseBytes();
		if (builder == null) {
			return new ProviderHttpClient(new EventLoopLanes(settings.name(), settings.maxConnections(), pool, client),
					null, null, maxBytes);
		}
		ConnectionProvider connections = pool.apply(ConnectionProvider.builder("llm-fallback-" + settings.name()))
			.maxConnections(settings.maxConnections())
			.build();
		WebClient webClient = builder.clone()
			.clientConnector(new ReactorClientHttpConnector(client.apply(connections)))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(maxBytes))
			.build();
		return new ProviderHttpClient(null, connections, webClient, maxBytes);
	}

	/**
	 * Posts a body and hands the answer to a reader, which must read its body. Lazy; cancelling
	 * closes the connection.
	 * @param uri where to post
	 * @param headers the request headers, built once per kind of call (the content length is set per call)
	 * @param body the request body
	 * @param reader reads the answer
	 * @return what the reader made of the answer
	 */
	<T> Flux<T> post(URI uri, FixedRequestHeaders headers, byte[] body, Function<HttpAnswer, Publisher<T>> reader) {
		return (this.lanes != null) ? direct(this.lanes, uri, headers, body, reader)
				: viaWebClient(Objects.requireNonNull(this.webClient), uri, headers, body, reader);
	}

	private static <T> Flux<T> viaWebClient(WebClient webClient, URI uri, FixedRequestHeaders headers, byte[] body,
			Function<HttpAnswer, Publisher<T>> reader) {
		return webClient.post()
			.uri(uri)
			.headers((request) -> {
				request.addAll(headers.spring());
				request.setContentLength(body.length);
			})
			// The bytes as they are: no search through the codecs for a writer of byte[].
			.body((message, context) -> message.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(body))))
			.exchangeToFlux((response) -> Flux.from(reader.apply(new HttpAnswer(response.statusCode().value(),
					response.headers().asHttpHeaders(), response.body(BodyExtractors.toDataBuffers())))));
	}

	private static <T> Flux<T> direct(EventLoopLanes lanes, URI uri, FixedRequestHeaders headers, byte[] body,
			Function<HttpAnswer, Publisher<T>> reader) {
		// The headers come with the sender; Reactor Netty sets the content length of a body sent whole.
		return lanes.post(uri, headers, (sender) -> sender.send((request, out) -> out.sendByteArray(Mono.just(body)))
			.response((response, content) -> reader.apply(new HttpAnswer(response.status().code(),
					new HttpHeaders(new Netty4HeadersAdapter(response.responseHeaders())),
					// Retained: Reactor Netty releases each inbound buffer once it is handed on, and the
					// readers release what they took (as WebClient's response body does).
					content.retain().map(BUFFERS::wrap)))));
	}

	/** @return the most bytes buffered for one answer or one stream line */
	int maxResponseBytes() {
		return this.maxResponseBytes;
	}

	/** Closes the pooled connections. */
	@Override
	public void close() {
		if (this.lanes != null) {
			this.lanes.close();
		}
		if (this.webClientConnections != null) {
			this.webClientConnections.disposeLater().subscribe();
		}
	}

}
