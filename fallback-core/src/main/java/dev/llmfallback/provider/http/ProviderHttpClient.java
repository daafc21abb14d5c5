package dev.llmfallback.provider.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * The HTTP client of one configured provider: its own pooled {@link ConnectionProvider}
 * (keep-alive, idle eviction), {@code TCP_NODELAY}, response compression, the connect timeout, an
 * optional read timeout and a bounded in-memory size. Close it to release the pool.
 * <p>
 * Two transports over the same Reactor Netty client. Given a {@link WebClient.Builder}, calls go
 * through the {@link WebClient} it builds, so that its filters, default headers and observation
 * apply. Given none, they go straight to Reactor Netty's {@link HttpClient}: the same request on
 * the wire without WebClient's per-call layers (request and response wrappers, exchange functions,
 * and the client observation where one is configured), which cost the gateway about 13 % of its CPU
 * per request even without an observation.
 */
final class ProviderHttpClient implements AutoCloseable {

	/** Idle connections are closed before typical provider and load-balancer idle limits (60 s+). */
	private static final Duration MAX_IDLE = Duration.ofSeconds(30);

	/** Connections are renewed now and then so DNS changes and rebalanced backends are picked up. */
	private static final Duration MAX_LIFE = Duration.ofMinutes(5);

	/** The most endpoints whose POST is kept built (see {@link #senders}). */
	private static final int MAX_SENDERS = 256;

	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	private final ConnectionProvider connections;

	private final HttpClient httpClient;

	private final @Nullable WebClient webClient;

	private final int maxResponseBytes;

	/**
	 * A POST to each endpoint with each set of fixed headers, built once: every step of Reactor Netty's
	 * fluent request copies the client's whole configuration, three copies per call (0.45 % of the
	 * gateway's CPU; the lookup costs 0.2 %), and headers in the configuration are copied into each
	 * request without being validated again. An adapter posts to a few endpoints (one per model on
	 * some formats) with two sets of headers (answer and stream); past {@link #MAX_SENDERS} the rest
	 * are built per call.
	 */
	private final Map<Endpoint, HttpClient.RequestSender> senders = new ConcurrentHashMap<>();

	private ProviderHttpClient(ConnectionProvider connections, HttpClient httpClient, @Nullable WebClient webClient,
			int maxResponseBytes) {
		this.connections = connections;
		this.httpClient = httpClient;
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
		WebClient webClient = (builder != null) ? builder.clone()
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(maxBytes))
			.build() : null;
		return new ProviderHttpClient(connections, httpClient, webClient, maxBytes);
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
		return (this.webClient != null) ? viaWebClient(this.webClient, uri, headers, body, reader)
				: direct(uri, headers, body, reader);
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

	private <T> Flux<T> direct(URI uri, FixedRequestHeaders headers, byte[] body,
			Function<HttpAnswer, Publisher<T>> reader) {
		// The headers come with the sender (setAll: compress(true) put Accept-Encoding among them);
		// Reactor Netty sets the content length of a body sent whole.
		return sender(uri, headers).send((request, out) -> out.sendByteArray(Mono.just(body)))
			.response((response, content) -> reader.apply(new HttpAnswer(response.status().code(),
					new HttpHeaders(new Netty4HeadersAdapter(response.responseHeaders())),
					// Retained: Reactor Netty releases each inbound buffer once it is handed on, and the
					// readers release what they took (as WebClient's response body does).
					content.retain().map(BUFFERS::wrap))));
	}

	private HttpClient.RequestSender sender(URI uri, FixedRequestHeaders headers) {
		Endpoint endpoint = new Endpoint(uri, headers);
		HttpClient.RequestSender sender = this.senders.get(endpoint);
		if (sender == null) {
			sender = this.httpClient.headers((defaults) -> defaults.setAll(headers.netty())).post().uri(uri);
			if (this.senders.size() < MAX_SENDERS) {
				this.senders.putIfAbsent(endpoint, sender);
			}
		}
		return sender;
	}

	/** A key of {@link #senders}: the headers by identity, since each set is built once. */
	private record Endpoint(URI uri, FixedRequestHeaders headers) {
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
