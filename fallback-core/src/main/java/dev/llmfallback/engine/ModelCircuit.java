package dev.llmfallback.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.ErrorCategory.CooldownEffect;
import dev.llmfallback.LlmException;
import dev.llmfallback.event.CooldownEndedEvent;
import dev.llmfallback.event.CooldownStartedEvent;
import dev.llmfallback.policy.CooldownSpec;

/**
 * One model's cooldown state, shared by every request and policy that calls the model: closed
 * (called as usual), open (cooling down until a time), half-open (the cooldown is over and exactly
 * one trial request is in flight). The whole state is one immutable value swapped by
 * compare-and-set, so concurrent requests never see a torn state and only one of them wins the trial.
 *
 * <p>Over 300 lines: one state machine (closed, cooling, half-open with its one trial) and the failure
 * window that drives it, lock-free; splitting them would share their one state value across classes.
 */
final class ModelCircuit {

	enum Admission {

		/** Call it. */
		AVAILABLE,

		/** Call it as the single half-open trial: its outcome closes or reopens the circuit. */
		TRIAL,

		/** Skip it. */
		COOLING

	}

	private enum Phase {

		CLOSED, OPEN, HALF_OPEN

	}

	private static final long[] NO_FAILURES = new long[0];

	/**
	 * {@code failures} holds the times of recent failures that count, oldest first, and
	 * {@code window} the window they were counted in (the last calling policy's).
	 */
	private record State(Phase phase, long openedAt, long openUntil, int failedTrials, ErrorCategory reason,
			long[] failures, long window) {

		static final State CLOSED = new State(Phase.CLOSED, 0, 0, 0, null, NO_FAILURES, 0);

		State withPhase(Phase phase) {
			return new State(phase, this.openedAt, this.openUntil, this.failedTrials, this.reason, this.failures,
					this.window);
		}

		static State open(long now, Duration duration, int failedTrials, ErrorCategory reason) {
			return new State(Phase.OPEN, now, now + duration.toNanos(), failedTrials, reason, NO_FAILURES, 0);
		}

		/** Failures still inside the window at {@code now}. */
		int failuresAt(long now) {
			int count = 0;
			for (long failure : this.failures) {
				if (failure - (now - this.window) > 0) {
					count++;
				}
			}
			return count;
		}

	}

	private record LastError(ErrorCategory category, long at) {
	}

	private final String model;

	private final String provider;

	private final EngineClock clock;

	private final EventPublisher events;

	private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);

	private volatile LastError lastError;

	private volatile boolean called;

	/** The deployment this circuit guards ({@code provider/model}), or {@code null} where unnamed. */
	private final @Nullable String deployment;

	ModelCircuit(String model, String provider, EngineClock clock, EventPublisher events) {
		this(model, provider, null, clock, events);
	}

	ModelCircuit(String model, String provider, @Nullable String deployment, EngineClock clock, EventPublisher events) {
		this.model = model;
		this.provider = provider;
		this.deployment = deployment;
		this.clock = clock;
		this.events = events;
	}

	Admission tryAcquire(long now) {
		while (true) {
			State current = this.state.get();
			switch (current.phase) {
				case CLOSED:
					return Admission.AVAILABLE;
				case HALF_OPEN:
					return Admission.COOLING;
				default:
					if (now - current.openUntil < 0) {
						return Admission.COOLING;
					}
					if (this.state.compareAndSet(current, current.withPhase(Phase.HALF_OPEN))) {
						return Admission.TRIAL;
					}
			}
		}
	}

	/** Whether a request arriving now would skip the model (asked without taking the trial). */
	boolean isCooling(long now) {
		State current = this.state.get();
		return current.phase == Phase.HALF_OPEN || (current.phase == Phase.OPEN && now - current.openUntil < 0);
	}

	/** When the current cooldown ends; any time in the past for a closed circuit. */
	long coolingEndsAt() {
		State current = this.state.get();
		return (current.phase == Phase.CLOSED) ? Long.MIN_VALUE : current.openUntil;
	}

	/**
	 * Records a success. Only a trial (or a call forced through while every model was cooling) ends a
	 * cooldown: a call admitted before the cooldown began says nothing about the model now.
	 */
	void onSuccess(boolean trial) {
		if (!this.called) {
			this.called = true;
		}
		State current = this.state.get();
		if (current.phase == Phase.CLOSED || !trial) {
			return;
		}
		if (this.state.compareAndSet(current, State.CLOSED)) {
			publishEnded(CooldownEndedEvent.RECOVERED);
		}
	}

	/**
	 * Records a failure and decides whether the model starts (or goes on) cooling down.
	 * @param error the classified failure
	 * @param trial whether the call was the half-open trial or forced through a cooldown
	 * @param spec the calling policy's cooldown settings
	 * @param maxRetryAfter the calling policy's longest acceptable {@code Retry-After}
	 * @param now the clock's time of the failure
	 */
	void onFailure(LlmException error, boolean trial, CooldownSpec spec, Duration maxRetryAfter, long now) {
		if (!this.called) {
			this.called = true;
		}
		ErrorCategory category = error.category();
		if (category.cooldownEffect() == CooldownEffect.NONE) {
			// The request's own problem (or a cancellation) says nothing of the model's health.
			if (trial) {
				releaseTrial();
			}
			return;
		}
		this.lastError = new LastError(category, now);
		Duration requested = requestedCooldown(error, maxRetryAfter);
		while (true) {
			State current = this.state.get();
			State next;
			if (trial) {
				int failedTrials = (current.phase == Phase.CLOSED) ? 0 : current.failedTrials + 1;
				next = State.open(now, longer(spec.durationAfter(failedTrials), requested), failedTrials, category);
			}
			else if (current.phase != Phase.CLOSED) {
				// A call admitted before the cooldown began; only a longer Retry-After extends it.
				if (requested == null || now + requested.toNanos() - current.openUntil <= 0) {
					return;
				}
				next = new State(current.phase, current.openedAt, now + requested.toNanos(), current.failedTrials,
						category, NO_FAILURES, 0);
			}
			else if (requested != null) {
				Duration floor = (category.cooldownEffect() == CooldownEffect.IMMEDIATE) ? spec.duration() : Duration.ZERO;
				next = State.open(now, longer(floor, requested), 0, category);
			}
			else if (category.cooldownEffect() == CooldownEffect.IMMEDIATE) {
				next = State.open(now, spec.duration(), 0, category);
			}
			else {
				long[] failures = recentFailures(current.failures, now, spec);
				next = (failures.length >= spec.failures()) ? State.open(now, spec.duration(), 0, category)
						: new State(Phase.CLOSED, 0, 0, 0, null, failures, spec.window().toNanos());
			}
			if (this.state.compareAndSet(current, next)) {
				if (next.phase == Phase.OPEN && (current.phase == Phase.CLOSED || trial)) {
					publishStarted(next);
				}
				return;
			}
		}
	}

	/**
	 * A cooldown a provider asked for: a rate limit whose {@code Retry-After} is longer than the
	 * policy will wait, or a quota whose reset time is known.
	 */
	private static Duration requestedCooldown(LlmException error, Duration maxRetryAfter) {
		Duration retryAfter = error.retryAfter();
		if (retryAfter == null || retryAfter.isZero()) {
			return null;
		}
		if (error.category() == ErrorCategory.RATE_LIMIT) {
			return (retryAfter.compareTo(maxRetryAfter) > 0) ? retryAfter : null;
		}
		return (error.category() == ErrorCategory.QUOTA_EXCEEDED) ? retryAfter : null;
	}

	private static Duration longer(Duration a, Duration b) {
		return (b == null || a.compareTo(b) >= 0) ? a : b;
	}

	private static long[] recentFailures(long[] failures, long now, CooldownSpec spec) {
		long windowStart = now - spec.window().toNanos();
		int keep = 0;
		for (long failure : failures) {
			if (failure - windowStart > 0) {
				keep++;
			}
		}
		// Only the newest `failures` times can matter for the threshold.
		int size = Math.min(keep + 1, spec.failures());
		long[] recent = new long[size];
		recent[size - 1] = now;
		for (int i = failures.length - 1, j = size - 2; i >= 0 && j >= 0; i--) {
			if (failures[i] - windowStart > 0) {
				recent[j--] = failures[i];
			}
		}
		return recent;
	}

	/** A trial ended without a verdict (cancelled, or the request's own fault): let another request try. */
	void releaseTrial() {
		State current = this.state.get();
		if (current.phase == Phase.HALF_OPEN) {
			this.state.compareAndSet(current, current.withPhase(Phase.OPEN));
		}
	}

	/**
	 * Ends any cooldown at once (an operator's reset).
	 * @return whether the model was cooling down or half-open
	 */
	boolean reset() {
		State previous = this.state.getAndSet(State.CLOSED);
		if (previous.phase != Phase.CLOSED) {
			publishEnded(CooldownEndedEvent.RESET);
			return true;
		}
		return false;
	}

	ModelStatus status(long now) {
		State current = this.state.get();
		LastError last = this.lastError;
		ModelStatus.State state;
		boolean available;
		if (current.phase == Phase.CLOSED) {
			state = ModelStatus.State.AVAILABLE;
			available = true;
		}
		else if (current.phase == Phase.OPEN && now - current.openUntil < 0) {
			state = ModelStatus.State.COOLING_DOWN;
			available = false;
		}
		else {
			state = ModelStatus.State.HALF_OPEN;
			available = current.phase == Phase.OPEN;
		}
		int failuresInWindow = (current.phase == Phase.CLOSED) ? current.failuresAt(now) : 0;
		boolean cooling = current.phase != Phase.CLOSED;
		return new ModelStatus(this.model, this.provider, state, available, this.called,
				(last != null) ? last.category : null, (last != null) ? this.clock.instantAt(last.at) : null,
				failuresInWindow, cooling ? current.reason : null,
				cooling ? this.clock.instantAt(current.openUntil) : null, current.failedTrials);
	}

	// Cooldowns are rare and always told: the engine's log names each one.
	private void publishStarted(State open) {
		this.events.publishNotable(new CooldownStartedEvent(this.model, this.provider, open.reason,
				Duration.ofNanos(open.openUntil - open.openedAt), this.clock.instantAt(open.openUntil),
				open.failedTrials, this.deployment));
	}

	private void publishEnded(String reason) {
		this.events.publishNotable(new CooldownEndedEvent(this.model, this.provider, reason));
	}

}
