package dev.llmfallback.sample;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * The tests' HTTP client for a server on this machine: a new connection per request. On a connection
 * kept alive, Reactor Netty 1.3.7's server now and then stops reading a request sent right after the
 * previous answer (reactor/reactor-netty#4361 and #4347; docs/GATEWAY.md, "Known issue"), and a test
 * would then wait for ever. A pooled client met it about once in ten runs of a sequence of three
 * requests.
 */
public final class LoopbackClients {

	private LoopbackClients() {
	}

	public static WebClient to(int port) {
		return to("http://127.0.0.1:" + port);
	}

	public static WebClient to(String baseUrl) {
		return WebClient.builder()
			.baseUrl(baseUrl)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.newConnection()))
			.build();
	}

}
