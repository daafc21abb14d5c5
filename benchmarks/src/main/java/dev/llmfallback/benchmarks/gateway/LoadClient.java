package dev.llmfallback.benchmarks.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP client shared by the Java load generators: one pooled Reactor Netty {@link HttpClient}
 * (keep-alive, {@code TCP_NODELAY}, a pool large enough for every concurrency used, so that the
 * generator never queues) that posts one fixed, small, non-streamed chat request. The same client and
 * body serve the direct, proxied and gateway targets, so its own cost cancels out in the differences.
 */
public final class LoadClient implements AutoCloseable {

	/** The chat request every generator sends: {@code bench} is the gateway's policy; the upstream ignores it. */
	static final String BODY = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";

	private final byte[] body;

	/** Far above any latency measured here: a request still open by then is counted as an error. */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private final ConnectionProvider connections;

	private final HttpClient client;

	LoadClient(int maxConnections) {
		this(maxConnections, BODY, Map.of(), null);
	}

	/**
	 * A client that sends another body, or more headers (a peer gateway's configuration header), and
	 * drops connections idle for 4 s: Node.js servers close theirs after 5 s, and a connection taken
	 * from the pool just as the server closes it would fail a request that no server refused.
	 * @param maxConnections connections the pool may hold
	 * @param body the chat request's JSON
	 * @param extraHeaders headers added to every request
	 */
	public LoadClient(int maxConnections, String body, Map<String, String> extraHeaders) {
		this(maxConnections, body, extraHeaders, Duration.ofSeconds(4));
	}

	private LoadClient(int maxConnections, String body, Map<String, String> extraHeaders, Duration maxIdle) {
		this.body = body.getBytes(StandardCharsets.UTF_8);
		ConnectionProvider.Builder pool = ConnectionProvider.builder("bench-load")
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1);
		if (maxIdle != null) {
			pool.maxIdleTime(maxIdle);
		}
		this.connections = pool.build();
		this.client = HttpClient.create(this.connections)
			.option(ChannelOption.TCP_NODELAY, true)
			.keepAlive(true)
			.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json")
				.setInt(HttpHeaderNames.CONTENT_LENGTH, this.body.length)
				.add(headersOf(extraHeaders)));
	}

	/**
	 * Posts the chat request and reads the whole answer.
	 * @param url the chat completions URL
	 * @return the answer's status (emitted once the body is read), or an error (connection, timeout)
	 */
	Mono<Integer> post(String url) {
		return this.client.post()
			.uri(url)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(this.body)))
			.responseSingle((response, content) -> {
				int status = response.status().code();
				// Read (and so release) the body: the request is done only when its last byte is in.
				return content.asByteArray().map((bytes) -> status).defaultIfEmpty(status);
			})
			.timeout(REQUEST_TIMEOUT);
	}

	private static io.netty.handler.codec.http.HttpHeaders headersOf(Map<String, String> headers) {
		io.netty.handler.codec.http.HttpHeaders netty = new io.netty.handler.codec.http.DefaultHttpHeaders();
		headers.forEach(netty::set);
		return netty;
	}

	@Override
	public void close() {
		this.connections.disposeLater().block(Duration.ofSeconds(5));
	}

}
