package dev.llmfallback.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;
import dev.llmfallback.SkipReason;
import dev.llmfallback.Usage;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.event.HedgeEvent;
import dev.llmfallback.event.HopEvent;
import dev.llmfallback.event.RequestCompletedEvent;

/**
 * What one walk did: its attempts in order and its last error, told to the event listeners as it
 * happens, and the terminal exceptions built from it. The failure a call signalled is the value
 * that travels on: it goes into the attempt, the event and (as the cause) the terminal exception
 * unchanged.
 */
final class WalkRecord {

	private final EngineClock clock;

	private final EventPublisher events;

	private final String policy;

	private final boolean streaming;

	private final long startedAt;

	private final List<Attempt> attempts = new ArrayList<>(2);

	private @Nullable LlmException lastError;

	/** {@code chat} or {@code embeddings}, for events. */
	private final String operation;

	WalkRecord(EngineClock clock, EventPublisher events, String policy, boolean streaming, String operation,
			long startedAt) {
		this.operation = operation;
		this.clock = clock;
		this.events = events;
		this.policy = policy;
		this.streaming = streaming;
		this.startedAt = startedAt;
	}

	List<Attempt> attempts() {
		return this.attempts;
	}

	boolean isEmpty() {
		return this.attempts.isEmpty();
	}

	/** @return the model of the first attempt, or {@code null} */
	@Nullable String firstModel() {
		return this.attempts.isEmpty() ? null : this.attempts.get(0).model();
	}

	@Nullable LlmException lastError() {
		return this.lastError;
	}

	void hop(ModelRuntime from, ModelRuntime to, String reason) {
		if (this.events.hasListeners()) {
			this.events.publish(new HopEvent(this.policy, from.name(), to.name(), reason));
		}
	}

	void skipped(ModelRuntime model, AttemptKind kind, SkipReason reason) {
		Attempt attempt = Attempt.skipped(model.name(), model.providerName(), kind, reason);
		this.attempts.add(attempt);
		if (this.events.hasListeners()) {
			this.events.publish(new AttemptEvent(this.policy, attempt, model.provider().type(), model.providerModelId(),
					null, null, null, this.streaming, this.operation));
		}
	}

	void succeeded(Call call, @Nullable String responseModel, @Nullable Usage usage) {
		Deployment deployment = call.deployment();
		Attempt attempt = Attempt.success(call.model().name(), deployment.providerName(), call.kind(), elapsed(call));
		this.attempts.add(attempt);
		publishAttempt(deployment, attempt, responseModel, usage, null);
	}

	void failed(Call call, LlmException error) {
		Deployment deployment = call.deployment();
		Attempt attempt = Attempt.failure(call.model().name(), deployment.providerName(), call.kind(),
				error.category(), error.httpStatus(), elapsed(call));
		this.attempts.add(attempt);
		this.lastError = error;
		publishAttempt(deployment, attempt, null, null, error);
	}

	/** A hedged request was served; {@code winner} says which call answered first. */
	void hedged(ModelRuntime hedgedModel, String winner) {
		if (this.events.hasListeners()) {
			this.events.publish(new HedgeEvent(this.policy, hedgedModel.name(), winner));
		}
	}

	/** The request was served. */
	void served(String servedBy) {
		if (this.events.hasListeners()) {
			this.events.publish(new RequestCompletedEvent(this.policy, servedBy, Attempt.SUCCESS, this.attempts,
					Attempt.hops(this.attempts), since(this.startedAt), null, this.streaming, this.operation));
		}
	}

	/** The request ended without an answer; always told, so that the engine's log can name it. */
	void ended(LlmException failure) {
		this.events.publishNotable(new RequestCompletedEvent(this.policy, null, failure.category().id(),
				this.attempts, Attempt.hops(this.attempts), since(this.startedAt), failure, this.streaming,
				this.operation));
	}

	/**
	 * No model is left to call.
	 * @param reason why, e.g. "max-attempts (6) reached"
	 * @param promptTokens the prompt's estimate, or -1 when it was not counted
	 * @param unsupported per model, what it lacks, or {@code null} when no model was skipped as unsupported
	 */
	LlmException exhausted(String reason, int promptTokens, @Nullable String unsupported) {
		ErrorCategory category;
		if (this.lastError != null) {
			category = this.lastError.category();
			if (unsupported != null) {
				reason = reason + "; skipped as unsupported: " + unsupported;
			}
		}
		else if (unsupported != null) {
			category = ErrorCategory.UNSUPPORTED;
			reason = "no model can serve what the request needs (" + unsupported + ")";
		}
		else if (skippedFor(SkipReason.CAPACITY)) {
			category = ErrorCategory.RATE_LIMIT;
			reason = "every deployment that could take it is at its rpm/tpm limit";
		}
		else if (promptTokens >= 0) {
			category = ErrorCategory.CONTEXT_WINDOW_EXCEEDED;
			reason = "the prompt's " + promptTokens + " estimated tokens fit no model's context window";
		}
		else {
			category = ErrorCategory.SERVICE_UNAVAILABLE;
		}
		return new FallbackExhaustedException(this.policy, category, reason, this.attempts, this.lastError, false);
	}

	private boolean skippedFor(SkipReason reason) {
		for (Attempt attempt : this.attempts) {
			if (attempt.skipReason() == reason) {
				return true;
			}
		}
		return false;
	}

	/** Whatever the last attempt's error, a request that ran out of time failed as a timeout. */
	LlmException deadlineExceeded(Duration deadline) {
		return new FallbackExhaustedException(this.policy, ErrorCategory.TIMEOUT,
				"its deadline of " + deadline + " passed", this.attempts, this.lastError, true);
	}

	/** The request's own problem (or a policy that says stop): no other model is tried. */
	LlmException notRetriedElsewhere(LlmException error) {
		return error.toBuilder()
			.message(error.getMessage() + " (not retried on another model; tried: " + Attempt.describe(this.attempts)
					+ ")")
			.attempts(this.attempts)
			.build();
	}

	LlmException withAttempts(LlmException error) {
		return error.toBuilder().attempts(this.attempts).build();
	}

	private Duration elapsed(Call call) {
		return since(call.startedAt());
	}

	private Duration since(long start) {
		return Duration.ofNanos(Math.max(0, this.clock.nanoTime() - start));
	}

	private void publishAttempt(Deployment deployment, Attempt attempt, @Nullable String responseModel,
			@Nullable Usage usage, @Nullable LlmException error) {
		if (this.events.hasListeners()) {
			this.events.publish(new AttemptEvent(this.policy, attempt, deployment.provider().type(),
					deployment.providerModelId(), responseModel, usage, error, this.streaming, this.operation,
					deployment.name()));
		}
	}

}
