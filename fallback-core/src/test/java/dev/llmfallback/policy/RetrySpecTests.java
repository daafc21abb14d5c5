package dev.llmfallback.policy;

import java.time.Duration;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOffExecution;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;

import static org.assertj.core.api.Assertions.assertThat;

/** The Spring Framework retry policy a {@link RetrySpec} builds. */
class RetrySpecTests {

	@Test
	void retriesOnlyTheGivenCategories() {
		RetryPolicy policy = RetrySpec.defaults().toRetryPolicy(EnumSet.of(ErrorCategory.RATE_LIMIT));
		assertThat(policy.shouldRetry(LlmException.builder(ErrorCategory.RATE_LIMIT).build())).isTrue();
		assertThat(policy.shouldRetry(LlmException.builder(ErrorCategory.SERVER_ERROR).build())).isFalse();
		assertThat(policy.shouldRetry(new IllegalStateException())).isFalse();
	}

	@Test
	void yieldsMaxRetriesExponentialDelays() {
		RetrySpec spec = RetrySpec.builder()
			.maxRetries(3)
			.initialBackoff(Duration.ofMillis(100))
			.multiplier(3)
			.maxBackoff(Duration.ofMillis(500))
			.jitter(0)
			.build();
		BackOffExecution delays = spec.toRetryPolicy(EnumSet.allOf(ErrorCategory.class)).getBackOff().start();
		assertThat(delays.nextBackOff()).isEqualTo(100);
		assertThat(delays.nextBackOff()).isEqualTo(300);
		assertThat(delays.nextBackOff()).isEqualTo(500);
		assertThat(delays.nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void jitterIsAFactorOfEachDelay() {
		RetrySpec spec = RetrySpec.builder()
			.maxRetries(2)
			.initialBackoff(Duration.ofMillis(1000))
			.multiplier(2)
			.maxBackoff(Duration.ofSeconds(10))
			.jitter(0.2)
			.build();
		RetryPolicy policy = spec.toRetryPolicy(EnumSet.allOf(ErrorCategory.class));
		for (int i = 0; i < 500; i++) {
			BackOffExecution delays = policy.getBackOff().start();
			assertThat(delays.nextBackOff()).isBetween(1000L, 1200L);
			assertThat(delays.nextBackOff()).isBetween(1600L, 2400L);
		}
	}

	@Test
	void aZeroBackOffRetriesAtOnce() {
		RetrySpec spec = RetrySpec.builder().maxRetries(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build();
		BackOffExecution delays = spec.toRetryPolicy(EnumSet.allOf(ErrorCategory.class)).getBackOff().start();
		assertThat(delays.nextBackOff()).isZero();
		assertThat(delays.nextBackOff()).isZero();
		assertThat(delays.nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void noRetriesStopsAtOnce() {
		RetrySpec spec = RetrySpec.builder().maxRetries(0).build();
		assertThat(spec.toRetryPolicy(EnumSet.allOf(ErrorCategory.class)).getBackOff().start().nextBackOff())
			.isEqualTo(BackOffExecution.STOP);
	}

}
