package dev.llmfallback.sample;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** How a request that no model could serve is answered: 503 when all failed, 504 past the deadline. */
@SuppressWarnings("unchecked")
class FailureStatusTests {

	static Map<String, Object> post(int port, String path, Object body) {
		return LoopbackClients.to(port)
			.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> response.bodyToMono(Map.class)
				.map((parsed) -> Map.of("status", response.statusCode().value(), "type",
						response.headers().contentType().map(MediaType::toString).orElse(""), "body", parsed)))
			.block();
	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "sample.simulator.providers.flaky.overloaded=1.0",
					"sample.simulator.providers.flaky.rate-limited=0", "sample.simulator.providers.flaky.slow=0",
					"sample.simulator.providers.steady.overloaded=1.0",
					"sample.simulator.providers.backup.overloaded=1.0",
					"llm.fallback.policies.chat.retry.max-retries=0" })
	class EveryModelFailing {

		@LocalServerPort
		int port;

		@Test
		void chatAnswers503WithEveryAttempt() {
			Map<String, Object> response = post(this.port, "/chat", Map.of("prompt", "hi"));

			assertThat(response.get("status")).isEqualTo(503);
			assertThat(response.get("type")).isEqualTo("application/problem+json");
			Map<String, Object> problem = (Map<String, Object>) response.get("body");
			assertThat(problem).containsEntry("category", "service_unavailable");
			assertThat((List<Map<String, Object>>) problem.get("attempts")).extracting((attempt) -> attempt.get("model"))
				.containsExactly("gpt-4o-mini", "claude-haiku", "gpt-4o");
		}

		@Test
		void theGatewayAnswers503InOpenAisEnvelope() {
			Map<String, Object> response = post(this.port, "/v1/chat/completions",
					Map.of("model", "chat", "messages", List.of(Map.of("role", "user", "content", "hi"))));

			assertThat(response.get("status")).isEqualTo(503);
			Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) response.get("body")).get("error");
			assertThat(error).containsEntry("type", "server_error").containsEntry("code", "service_unavailable");
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "sample.simulator.providers.flaky.slow=1.0", "sample.simulator.providers.flaky.rate-limited=0",
					"sample.simulator.providers.flaky.overloaded=0", "sample.simulator.providers.flaky.slow-delay=5s",
					"sample.simulator.providers.steady.slow=1.0", "sample.simulator.providers.steady.slow-delay=5s",
					"sample.simulator.providers.backup.slow=1.0", "sample.simulator.providers.backup.slow-delay=5s",
					"llm.fallback.policies.chat.retry.max-retries=0", "llm.fallback.policies.chat.timeout=400ms",
					"llm.fallback.policies.chat.deadline=1s" })
	class DeadlinePassing {

		@LocalServerPort
		int port;

		@Test
		void chatAnswers504NamingTheModelsTried() {
			Map<String, Object> response = post(this.port, "/chat", Map.of("prompt", "hi"));

			assertThat(response.get("status")).isEqualTo(504);
			Map<String, Object> problem = (Map<String, Object>) response.get("body");
			assertThat(problem).containsEntry("category", "timeout");
			assertThat((String) problem.get("detail")).contains("deadline").contains("gpt-4o-mini");
		}

	}

}
