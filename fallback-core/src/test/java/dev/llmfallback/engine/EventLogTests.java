package dev.llmfallback.engine;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's own log lines: a cooldown's start (WARN) and end (INFO), and an exhausted chain
 * (WARN), each rate-limited per model or policy, never carrying what a provider said.
 */
class EventLogTests {

	private static final String SECRET = "sk-live-0123456789abcdef";

	private final Fixture fixture = new Fixture();

	private FallbackEngine engine() {
		return this.fixture
			.policy(FallbackPolicy.builder("chat")
				.models("a", "b")
				.retry(RetrySpec.builder().maxRetries(0).build())
				.cooldown(CooldownSpec.builder().failures(1).duration(Duration.ofSeconds(30)).build())
				.build())
			.engine();
	}

	private static Step failureCarryingAKey() {
		return Step.fail(LlmException.builder(ErrorCategory.SERVICE_UNAVAILABLE)
			.message("upstream rejected key " + SECRET)
			.basis(ClassificationBasis.STATUS)
			.httpStatus(503)
			.build());
	}

	@Test
	void aCooldownStartAndEndAndAnExhaustedChainLogOneLineEach() {
		this.fixture.healthy("a", failureCarryingAKey());
		this.fixture.failing("b", failureCarryingAKey());
		FallbackEngine engine = engine();

		try (LogCapture log = LogCapture.of(EventLog.LOGGER)) {
			this.fixture.run(engine.chatService().chat(ChatRequest.of("hi")));
			this.fixture.advance(Duration.ofSeconds(31));
			this.fixture.run(engine.chatService().chat(ChatRequest.of("hi")));

			assertThat(log.lines()).hasSize(4);
			assertThat(log.lines().get(0)).startsWith("WARNING Model 'a' (provider 'a') cools down for 30s until ")
				.endsWith(" after service_unavailable");
			assertThat(log.lines().get(1)).startsWith("WARNING Model 'b' (provider 'b') cools down for 30s");
			assertThat(log.lines().get(2))
				.isEqualTo("WARNING Policy 'chat' found no model to serve a request (service_unavailable); "
						+ "models tried: a service_unavailable [503], b service_unavailable [503]");
			assertThat(log.lines().get(3)).isEqualTo("INFO Model 'a' (provider 'a') is available again (recovered)");
			assertThat(String.join("\n", log.lines())).doesNotContain(SECRET).doesNotContain("upstream");
		}
	}

	@Test
	void linesAreRateLimitedPerModel() {
		this.fixture.failing("a", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		this.fixture.failing("b", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		FallbackEngine engine = engine();

		try (LogCapture log = LogCapture.of(EventLog.LOGGER)) {
			for (int i = 0; i < 3; i++) {
				this.fixture.run(engine.chatService().chat(ChatRequest.of("hi")));
				engine.resetCooldown("a");
				engine.resetCooldown("b");
				this.fixture.advance(Duration.ofSeconds(1));
			}
			this.fixture.advance(EventLog.INTERVAL);
			this.fixture.run(engine.chatService().chat(ChatRequest.of("hi")));

			assertThat(log.lines()).filteredOn((line) -> line.contains("Model 'a'") && line.contains("cools down"))
				.hasSize(2)
				.last()
				.asString()
				.endsWith("[2 similar line(s) held back]");
			assertThat(log.lines()).filteredOn((line) -> line.contains("Model 'a'") && line.contains("available again"))
				.hasSize(1);
			assertThat(log.lines()).filteredOn((line) -> line.contains("Policy 'chat'")).hasSize(2);
		}
	}

	@Test
	void theLogCanBeTurnedOff() {
		this.fixture.failing("a", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		this.fixture.failing("b", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		this.fixture.policy(FallbackPolicy.builder("chat").models("a", "b").build());
		FallbackEngine engine = this.fixture.builder().eventLog(false).build();

		try (LogCapture log = LogCapture.of(EventLog.LOGGER)) {
			this.fixture.run(engine.chatService().chat(ChatRequest.of("hi")));

			assertThat(log.lines()).isEmpty();
		}
	}

}
