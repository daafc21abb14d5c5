package dev.llmfallback.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamed completion reaches the client chunk by chunk, not when the upstream's stream ends: the
 * upstream sends its first chunk and then holds the stream open until the client has received that
 * chunk through the gateway. A gateway that buffered or flushed late would never let it go on, and
 * the test would fail on its timeout.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GatewayStreamDeliveryTests {

	/** Completed by the client once the first chunk has arrived; the upstream waits for it. */
	private static final Sinks.One<Boolean> firstChunkSeen = Sinks.one();

	private static final DisposableServer upstream = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.handle((request, response) -> request.receive()
			.then()
			.thenMany(response.header("content-type", "text/event-stream")
				// Flushed chunk by chunk, so only the gateway can hold a chunk back.
				.send(Flux.concat(Flux.just(chunk("{\"content\":\"first \"}", "null")),
						firstChunkSeen.asMono()
							.thenMany(Flux.just(chunk("{\"content\":\"second\"}", "null"), chunk("{}", "\"stop\""),
									event("[DONE]")))),
						(buffer) -> true)))
		.bindNow();

	@DynamicPropertySource
	static void provider(DynamicPropertyRegistry registry) {
		registry.add("llm.fallback.providers.held.type", () -> "openai");
		registry.add("llm.fallback.providers.held.base-url", () -> "http://127.0.0.1:" + upstream.port() + "/v1");
		registry.add("llm.fallback.providers.held.api-key", () -> "sk-upstream-not-real");
		registry.add("llm.fallback.models.held-model.provider", () -> "held");
		registry.add("llm.fallback.models.held-model.model", () -> "gpt-4o");
	}

	@AfterAll
	static void stopUpstream() {
		upstream.disposeNow();
	}

	@LocalServerPort
	int port;

	@Test
	void eachChunkIsSentOnBeforeTheUpstreamSendsTheNext() {
		List<String> events = LoopbackClients.to(this.port)
			.post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "held-model", "stream", true, "messages",
					List.of(Map.of("role", "user", "content", "hi"))))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(String.class)
			.doOnNext((event) -> {
				if (event.contains("\"first \"")) {
					firstChunkSeen.tryEmitValue(true);
				}
			})
			.collectList()
			.block(Duration.ofSeconds(20));

		assertThat(events).isNotNull();
		assertThat(String.join("\n", events)).contains("\"first \"", "\"second\"", "\"finish_reason\":\"stop\"");
		assertThat(events).last().isEqualTo("[DONE]");
	}

	/** A chunk in OpenAI's format; both arguments are JSON as written on the wire. */
	private static ByteBuf chunk(String deltaJson, String finishReasonJson) {
		return event("{\"id\":\"chatcmpl-held\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
				+ "\"choices\":[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":" + finishReasonJson + "}]}");
	}

	private static ByteBuf event(String data) {
		return Unpooled.copiedBuffer("data: " + data + "\n\n", StandardCharsets.UTF_8);
	}

}
