package dev.llmfallback.actuate.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.SkipReason;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.event.HopEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecentOutcomesTests {

	private static final Instant NOW = Instant.parse("2026-12-04T20:00:00Z");

	@Test
	void keepsEachModelsNewestOutcomesUpToItsCapacity() {
		RecentOutcomes outcomes = new RecentOutcomes(2, Clock.fixed(NOW, ZoneOffset.UTC));
		outcomes.onEvent(call(new Attempt("a", "p", AttemptKind.PRIMARY, "rate_limit", 429, Duration.ofMillis(5), null)));
		outcomes.onEvent(call(new Attempt("a", "p", AttemptKind.RETRY, "service_unavailable", 503, Duration.ofMillis(7), null)));
		outcomes.onEvent(call(Attempt.success("b", "q", AttemptKind.FALLBACK, Duration.ofMillis(40))));
		outcomes.onEvent(call(Attempt.skipped("a", "p", AttemptKind.PRIMARY, SkipReason.COOLDOWN)));

		assertThat(outcomes.newestFirst("a")).containsExactly(
				new RecentOutcomes.Outcome(NOW, "chat", "primary", "skipped", null, Duration.ZERO, "cooldown"),
				new RecentOutcomes.Outcome(NOW, "chat", "retry", "service_unavailable", 503, Duration.ofMillis(7), null));
		assertThat(outcomes.newestFirst("b")).extracting(RecentOutcomes.Outcome::outcome).containsExactly("success");
		assertThat(outcomes.newestFirst(List.of("b", "a", "never-called")))
			.containsOnlyKeys("b", "a", "never-called")
			.satisfies((byModel) -> assertThat(byModel.keySet()).containsExactly("b", "a", "never-called"))
			.satisfies((byModel) -> assertThat(byModel.get("never-called")).isEmpty());
	}

	@Test
	void ignoresOtherEvents() {
		RecentOutcomes outcomes = new RecentOutcomes(3);
		outcomes.onEvent(new HopEvent("chat", "a", "b", "timeout"));
		assertThat(outcomes.newestFirst("a")).isEmpty();
		assertThat(outcomes.newestFirst("b")).isEmpty();
	}

	@Test
	void aCapacityOfZeroKeepsNothing() {
		RecentOutcomes outcomes = new RecentOutcomes(0);
		outcomes.onEvent(call(Attempt.success("a", "p", AttemptKind.PRIMARY, Duration.ofMillis(1))));
		assertThat(outcomes.newestFirst("a")).isEmpty();
	}

	@Test
	void aNegativeCapacityIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RecentOutcomes(-1));
	}

	private static AttemptEvent call(Attempt attempt) {
		return new AttemptEvent("chat", attempt, "openai", attempt.model(), null, null, null, false);
	}

}
