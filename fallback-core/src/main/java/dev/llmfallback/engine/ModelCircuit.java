package dev.llmfallback.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.ErrorCategory.CooldownEffect;
import dev.llmfallback.LlmException;
import dev.llmfallback.event.CooldownEndedEvent;
import dev.llmfallback.event.CooldownStartedEvent;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.state.SharedCircuit;
import dev.llmfallback.state.SharedState;

/**
 * One model's cooldown state, shared by every request and policy that calls the model: closed
 * (called as usual), open (cooling down until a time), half-open (the cooldown is over and exactly
 * one trial request is in flight). The whole state is one immutable value swapped by
 * compare-and-set, so concurrent requests never see a torn state and only one of them wins the trial.
 *
 * <p>With {@linkplain #share shared state} it also tells the other replicas what happened here and
 * applies what happened there; requests still decide from this value alone, never waiting on the
 * store. The one difference: a cooldown's end needs the trial's lease, which comes asynchronously.
 *
 * <p>Over 300 lines: one state machine (closed, cooling, half-open with its one trial) and the failure
 * window that drives it, lock-free, and the transitions other replicas cause; splitting them would
 * share their one state value across classes.
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
	 * {@code window} the window they were counted in (the last calling policy's). {@code leased}: with
	 * shared state, this replica holds the lease of the trial that ends the cooldown.
	 */
	private record State(Phase phase, long openedAt, long openUntil, int failedTrials, @Nullable ErrorCategory reason,
			long[] failures, long window, boolean leased) {

		static final State CLOSED = new State(Phase.CLOSED, 0, 0, 0, null, NO_FAILURES, 0, false);

		State withPhase(Phase phase) {
			return new State(phase, this.openedAt, this.openUntil, this.failedTrials, this.reason, this.failures,
					this.window, this.leased);
		}

		State withLease(boolean leased, long openUntil) {
			return new State(this.phase, this.openedAt, openUntil, this.failedTrials, this.reason, this.failures,
					this.window, leased);
		}

		static State open(long now, Duration duration, int failedTrials, ErrorCategory reason) {
			return new State(Phase.OPEN, now, now + duration.toNanos(), failedTrials, reason, NO_FAILURES, 0, false);
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

	private volatile @Nullable LastError lastError;

	private volatile boolean called;

	/** The deployment this circuit guards ({@code provider/model}), or {@code null} where unnamed. */
	private final @Nullable String deployment;

	/** The same circuit on the other replicas; {@code null} where state is local. Set once at assembly. */
	private @Nullable SharedCircuit shared;

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

	/** The state now: never null, it starts closed and moves by compareAndSet to other states. */
	private State state() {
		return Objects.requireNonNull(this.state.get());
	}

	Admission tryAcquire(long now) {
		while (true) {
			State current = state();
			switch (current.phase) {
				case CLOSED:
					return Admission.AVAILABLE;
				case HALF_OPEN:
					return Admission.COOLING;
				default:
					if (now - current.openUntil < 0) {
						return Admission.COOLING;
					}
					// Shared: only the replica holding the lease runs the trial; the others wait for its verdict.
					SharedCircuit shared = this.shared;
					if (shared != null && !current.leased && !shared.tryTrial()) {
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
		State current = state();
		return current.phase == Phase.HALF_OPEN || (current.phase == Phase.OPEN && now - current.openUntil < 0);
	}

	/** When the current cooldown ends; any time in the past for a closed circuit. */
	long coolingEndsAt() {
		State current = state();
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
		State current = state();
		if (current.phase == Phase.CLOSED || !trial) {
			return;
		}
		if (this.state.compareAndSet(current, State.CLOSED)) {
			publishEnded(CooldownEndedEvent.RECOVERED);
			if (this.shared != null) {
				this.shared.closed();
			}
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
			State current = state();
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
						category, NO_FAILURES, 0, current.leased);
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
						: new State(Phase.CLOSED, 0, 0, 0, null, failures, spec.window().toNanos(), false);
			}
			if (this.state.compareAndSet(current, next)) {
				if (next.phase == Phase.OPEN && (current.phase == Phase.CLOSED || trial)) {
					publishStarted(next);
				}
				share(next, category, spec, now);
				return;
			}
		}
	}

	/**
	 * A cooldown a provider asked for: a rate limit whose {@code Retry-After} is longer than the
	 * policy will wait, or a quota whose reset time is known.
	 */
	private static @Nullable Duration requestedCooldown(LlmException error, Duration maxRetryAfter) {
		Duration retryAfter = error.retryAfter();
		if (retryAfter == null || retryAfter.isZero()) {
			return null;
		}
		if (error.category() == ErrorCategory.RATE_LIMIT) {
			return (retryAfter.compareTo(maxRetryAfter) > 0) ? retryAfter : null;
		}
		return (error.category() == ErrorCategory.QUOTA_EXCEEDED) ? retryAfter : null;
	}

	private static Duration longer(Duration a, @Nullable Duration b) {
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

	/** Tells the other replicas what a failure did here: counted it, or opened the circuit. */
	private void share(State next, ErrorCategory category, CooldownSpec spec, long now) {
		SharedCircuit shared = this.shared;
		if (shared == null) {
			return;
		}
		if (next.phase == Phase.CLOSED) {
			shared.failed(category, spec);
		}
		else {
			shared.opened(category, Duration.ofNanos(Math.max(0, next.openUntil - now)), next.failedTrials);
		}
	}

	/**
	 * Links the circuit to the same circuit on the other replicas; called once, at assembly.
	 * @param state the shared state
	 * @param key the circuit's name, the same on every replica
	 */
	void share(SharedState state, String key) {
		this.shared = state.circuit(key, new SharedCircuit.Listener() {

			@Override
			public void openedElsewhere(ErrorCategory reason, Duration remaining, int failedTrials) {
				openElsewhere(reason, remaining, failedTrials);
			}

			@Override
			public void closedElsewhere() {
				State current = ModelCircuit.this.state();
				if (current.phase != Phase.CLOSED && ModelCircuit.this.state.compareAndSet(current, State.CLOSED)) {
					publishEnded(CooldownEndedEvent.RECOVERED);
				}
			}

			@Override
			public void trialGranted() {
				lease(true, 0);
			}

			@Override
			public void trialRefused(Duration retryIn) {
				lease(false, retryIn.toNanos());
			}

		});
	}

	private void openElsewhere(ErrorCategory reason, Duration remaining, int failedTrials) {
		long now = this.clock.nanoTime();
		State next = State.open(now, remaining, failedTrials, reason);
		while (true) {
			State current = state();
			// A cooldown known here that lasts as long is not news; a trial in flight here keeps its verdict.
			if (current.phase == Phase.HALF_OPEN
					|| (current.phase == Phase.OPEN && next.openUntil - current.openUntil <= 0)) {
				return;
			}
			if (this.state.compareAndSet(current, next)) {
				if (current.phase == Phase.CLOSED) {
					this.lastError = new LastError(reason, now);
					publishStarted(next);
				}
				return;
			}
		}
	}

	/** The trial's lease came, or was refused until {@code retryIn} from now: asked again after it. */
	private void lease(boolean granted, long retryIn) {
		long now = this.clock.nanoTime();
		while (true) {
			State current = state();
			if (current.phase != Phase.OPEN) {
				return;
			}
			long until = granted ? current.openUntil : Math.max(current.openUntil - now, retryIn) + now;
			if (this.state.compareAndSet(current, current.withLease(granted, until))) {
				return;
			}
		}
	}

	/** A trial ended without a verdict (cancelled, or the request's own fault): let another request try. */
	void releaseTrial() {
		State current = state();
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
		if (this.shared != null) {
			this.shared.closed();
		}
		if (previous.phase != Phase.CLOSED) {
			publishEnded(CooldownEndedEvent.RESET);
			return true;
		}
		return false;
	}

	ModelStatus status(long now) {
		State current = state();
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
		ErrorCategory reason = Objects.requireNonNull(open.reason); // an open state always has its reason
		this.events.publishNotable(new CooldownStartedEvent(this.model, this.provider, reason,
				Duration.ofNanos(open.openUntil - open.openedAt), this.clock.instantAt(open.openUntil),
				open.failedTrials, this.deployment));
	}

	private void publishEnded(String reason) {
		this.events.publishNotable(new CooldownEndedEvent(this.model, this.provider, reason));
	}

}
