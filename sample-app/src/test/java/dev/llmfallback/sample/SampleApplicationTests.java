package dev.llmfallback.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The app on a random port, called over real HTTP. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@LocalServerPort
	int port;

	private WebClient client() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	@Test
	void chatAnswersWithTheServingModelAndItsAttempts() {
		Map<?, ?> response = client().post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("prompt", "hello"))
			.retrieve()
			.bodyToMono(Map.class)
			.block();

		assertThat(response.get("servedBy")).isIn("flaky-mini", "steady-large");
		assertThat((String) response.get("content")).contains("You said: hello");
		assertThat((java.util.List<?>) response.get("attempts")).isNotEmpty();
	}

	@Test
	void aRequestWithoutMessagesIsAProblemDetail() {
		var response = client().post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of())
			.exchangeToMono((answer) -> answer.bodyToMono(Map.class)
				.map((body) -> Map.of("status", answer.statusCode().value(), "body", body,
						"type", answer.headers().contentType().map(MediaType::toString).orElse(""))))
			.block();

		assertThat(response.get("status")).isEqualTo(400);
		assertThat(response.get("type")).isEqualTo("application/problem+json");
		assertThat(((Map<?, ?>) response.get("body")).get("category")).isEqualTo("bad_request");
	}

}
