package dev.llmfallback.testing;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ErrorCategory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class StepTests {

	@Test
	void statusAndRetryAfterSetTheScriptedFailure() {
		Step step = Step.fail(ErrorCategory.RATE_LIMIT).status(429).retryAfter(Duration.ofSeconds(3));

		assertThat(step.failure()).isNotNull();
		assertThat(step.failure().httpStatus()).isEqualTo(429);
		assertThat(step.failure().retryAfter()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void statusOrRetryAfterOnAStepWithoutAFailureSaysWhereTheFailureComesFrom() {
		assertThatIllegalStateException().isThrownBy(() -> Step.reply("hi").status(503))
			.withMessageContaining("status(...)")
			.withMessageContaining("Step.fail(...)");
		assertThatIllegalStateException().isThrownBy(() -> Step.hang().retryAfter(Duration.ofSeconds(1)))
			.withMessageContaining("retryAfter(...)");
	}

	@Test
	void aFailureAddedAfterChunksCanBeGivenItsStatus() {
		Step step = Step.chunks("a", "b").thenFail(ErrorCategory.SERVER_ERROR).status(502);

		assertThat(step.failure()).isNotNull();
		assertThat(step.failure().httpStatus()).isEqualTo(502);
	}

}
