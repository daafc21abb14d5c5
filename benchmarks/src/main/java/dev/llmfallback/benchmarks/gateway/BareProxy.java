package dev.llmfallback.benchmarks.gateway;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * The floor for any JVM gateway: a bare Reactor Netty pass-through proxy that reads the POST body,
 * forwards it with a pooled {@link HttpClient} to the upstream's {@code /chat/completions} (and
 * {@code /v1/embeddings} to its {@code /embeddings}) and
 * streams the answer back (status, content type, length, body), with no parsing, no policy and no
 * framework. What the gateway adds over this is the price of Spring WebFlux, JSON mapping and the
 * fallback engine; what this adds over calling the upstream directly is the price of one more hop.
 *
 * <p>Run in a JVM of its own, with the gateway's JVM flags:
 * {@code java -cp benchmarks.jar dev.llmfallback.benchmarks.gateway.BareProxy PORT UPSTREAM_BASE_URL MAX_CONNECTIONS}.
 */
public final class BareProxy {

	private BareProxy() {
	}

	/**
	 * Starts the proxy on the given loopback port.
	 * @param port the port to serve on
	 * @param upstreamBaseUrl an OpenAI base URL, such as {@code http://127.0.0.1:9001/v1}
	 * @param maxConnections the pool's size towards the upstream (the gateway is given the same)
	 * @return the running server
	 */
	public static DisposableServer start(int port, String upstreamBaseUrl, int maxConnections) {
		ConnectionProvider connections = ConnectionProvider.builder("bare-proxy")
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.build();
		HttpClient client = HttpClient.create(connections).option(ChannelOption.TCP_NODELAY, true).keepAlive(true);
		String target = upstreamBaseUrl + "/chat/completions";
		String embeddings = upstreamBaseUrl + "/embeddings";
		return HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.route((routes) -> routes
				.post("/v1/chat/completions", (request, response) -> forward(client, target, request, response))
				.post("/v1/embeddings", (request, response) -> forward(client, embeddings, request, response)))
			.bindNow();
	}

	private static Mono<Void> forward(HttpClient client, String target, HttpServerRequest request,
			HttpServerResponse response) {
		String contentType = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE, "application/json");
		return client.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, contentType))
			.post()
			.uri(target)
			.send(request.receive().aggregate().retain())
			.response((upstream, body) -> {
				response.status(upstream.status());
				copy(upstream.responseHeaders(), response, HttpHeaderNames.CONTENT_TYPE);
				copy(upstream.responseHeaders(), response, HttpHeaderNames.CONTENT_LENGTH);
				return response.send(body.retain());
			})
			.then()
			.onErrorResume((failure) -> response.status(HttpResponseStatus.BAD_GATEWAY).send());
	}

	private static void copy(io.netty.handler.codec.http.HttpHeaders from, HttpServerResponse to, CharSequence name) {
		String value = from.get(name);
		if (value != null) {
			to.header(name, value);
		}
	}

	/**
	 * Runs the proxy until the process is killed.
	 * @param args the port, the upstream's base URL, the pool's size
	 */
	public static void main(String[] args) {
		if (args.length != 3) {
			System.err.println("usage: BareProxy PORT UPSTREAM_BASE_URL MAX_CONNECTIONS");
			System.exit(2);
		}
		DisposableServer server = start(Integer.parseInt(args[0]), args[1], Integer.parseInt(args[2]));
		System.out.println("bare proxy on port " + server.port() + " -> " + args[1]);
		server.onDispose().block();
	}

}
