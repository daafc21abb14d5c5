package dev.llmfallback.engine;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.util.backoff.BackOffExecution;

import dev.llmfallback.LlmException;

/**
 * The retries of the model a walk is on: its back-off and the retry due next. Made on a walk's
 * first failure and started again for each model, so a request that never fails never builds one.
 */
final class ModelRetries {

	private final CompiledPolicy policy;

	private @Nullable ModelRuntime model;

	private @Nullable BackOffExecution backOff;

	private long pendingDelay = -1;

	ModelRetries(CompiledPolicy policy) {
		this.policy = policy;
	}

	/**
	 * Decides whether a failed call is retried on its model, and if so schedules the retry.
	 * @param call the failed call
	 * @param error its classified failure
	 * @param now the engine clock's time
	 * @param deadline the request's deadline
	 * @return whether a retry is due
	 */
	boolean scheduleRetry(Call call, LlmException error, long now, long deadline) {
		// Cooldowns decide which models a request reaches; retries decide how often the model reached
		// is called. A trial is a single probe, though: a failed one is not retried.
		if (call.trial() || !this.policy.retries(error)) {
			return false;
		}
		Duration retryAfter = error.retryAfter();
		if (retryAfter != null && retryAfter.compareTo(this.policy.policy().retry().maxRetryAfter()) > 0) {
			return false; // waiting that long is worse than another model now
		}
		BackOffExecution backOff = this.backOff;
		if (backOff == null || this.model != call.model()) {
			this.model = call.model();
			backOff = this.policy.retryPolicy().getBackOff().start();
			this.backOff = backOff;
		}
		long backOffMillis = backOff.nextBackOff();
		if (backOffMillis == BackOffExecution.STOP) {
			return false;
		}
		long delay = Duration.ofMillis(backOffMillis).toNanos();
		if (retryAfter != null && retryAfter.toNanos() > delay) {
			delay = retryAfter.toNanos();
		}
		if (now + delay - deadline >= 0) {
			return false; // the retry could not start before the deadline; another model can now
		}
		this.pendingDelay = delay;
		return true;
	}

	/** @return the model a retry is due for, or {@code null} */
	@Nullable ModelRuntime due() {
		return (this.pendingDelay >= 0) ? this.model : null;
	}

	/** Takes the due retry's delay, clearing it. */
	long takeDelay() {
		long delay = this.pendingDelay;
		this.pendingDelay = -1;
		return delay;
	}

	void cancel() {
		this.pendingDelay = -1;
	}

}
