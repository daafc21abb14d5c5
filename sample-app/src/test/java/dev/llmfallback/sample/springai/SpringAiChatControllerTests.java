package dev.llmfallback.sample.springai;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /chat/spring-ai} over the simulated providers: the OpenAI-format primary is down, so
 * Anthropic's wire format serves both turns of the tool loop that Spring AI's ChatClient runs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.providers.flaky.rate-limited=0", "sample.simulator.providers.flaky.overloaded=1.0",
				"sample.simulator.providers.flaky.slow=0", "llm.fallback.policies.chat.retry.max-retries=0",
				"llm.fallback.policies.chat.cooldown.failures=1000" })
@ActiveProfiles({ "simulated", "spring-ai" })
@SuppressWarnings("unchecked")
class SpringAiChatControllerTests {

	@LocalServerPort
	int port;

	@Test
	void chatClientRunsTheToolAndTheFallbackAnswersWithItsResult() {
		Map<String, Object> answer = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.post()
			.uri("/chat/spring-ai")
			.bodyValue(Map.of("prompt", "What time is it in Paris?"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat((String) answer.get("answer")).contains("It is 12:00 in");
		assertThat(answer.get("servedBy")).isEqualTo("claude-haiku");
		List<Map<String, Object>> attempts = (List<Map<String, Object>>) answer.get("attempts");
		assertThat(attempts.get(0)).containsEntry("model", "gpt-4o-mini").containsEntry("outcome", "service_unavailable");
	}

}
