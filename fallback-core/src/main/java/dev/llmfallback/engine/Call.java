package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.AttemptKind;

/**
 * One attempt the walk asks a driver to make: which model, of what kind, after what delay, and
 * every timeout that bounds it. The driver reports its end back to the walk, never edits it.
 */
final class Call {

	private final ModelRuntime model;

	private final Deployment deployment;

	private final AttemptKind kind;

	private final long delayNanos;

	private final Duration timeout;

	private final Duration idleTimeout;

	private final boolean trial;

	private long startedAt;

	/** The request's parameters left out of this call (the policy drops what the provider cannot carry). */
	private List<String> droppedParams = List.of();
	private boolean started;

	/** The next call in flight of the same walk; a hedge (see RequestWalk) makes it non-null. */
	private @Nullable Call nextInFlight;

	Call(ModelRuntime model, Deployment deployment, AttemptKind kind, long delayNanos, Duration timeout,
			Duration idleTimeout, boolean trial) {
		this.model = model;
		this.deployment = deployment;
		this.kind = kind;
		this.delayNanos = delayNanos;
		this.timeout = timeout;
		this.idleTimeout = idleTimeout;
		this.trial = trial;
	}

	ModelRuntime model() {
		return this.model;
	}

	/** @return where the call goes: the model's only deployment, or the one its policy's routing picked */
	Deployment deployment() {
		return this.deployment;
	}

	AttemptKind kind() {
		return this.kind;
	}

	/** @return how long to wait before the call (a retry's back-off), 0 for none */
	long delayNanos() {
		return this.delayNanos;
	}

	/** @return what bounds the call; for a stream, what bounds it until its first text chunk */
	Duration timeout() {
		return this.timeout;
	}

	/**
	 * @return whether the call is the half-open trial, or forced through a cooldown: its outcome
	 * decides the circuit
	 */
	boolean trial() {
		return this.trial;
	}

	void started(long now) {
		this.startedAt = now;
		this.started = true;
	}

	/** @return whether the walk counted it as sent (a hedge is, as soon as the walk makes it) */
	boolean isStarted() {
		return this.started;
	}

	long startedAt() {
		return this.startedAt;
	}

	/**
	 * How long a stream may stay silent after a chunk: until the first chunk of text or of a tool
	 * call, what is left of the first-token timeout; after it, the idle timeout.
	 * @param committed whether text or a tool call already reached the caller
	 * @param carriesText whether this chunk carries text or a tool call
	 * @param now the engine clock's time
	 * @return the wait for the next chunk
	 */
	Duration silenceAllowedAfterChunk(boolean committed, boolean carriesText, long now) {
		if (committed || carriesText) {
			return this.idleTimeout;
		}
		return Duration.ofNanos(Math.max(0, this.startedAt + this.timeout.toNanos() - now));
	}

	/**
	 * @return the request's parameters the model's provider has no equivalent for, left out of this
	 * call because the policy sets {@code drop-unsupported-params}; empty for none
	 */
	List<String> droppedParams() {
		return this.droppedParams;
	}

	void droppedParams(List<String> names) {
		this.droppedParams = names;
	}

	@Nullable Call nextInFlight() {
		return this.nextInFlight;
	}

	void nextInFlight(@Nullable Call next) {
		this.nextInFlight = next;
	}

	Duration idleTimeout() {
		return this.idleTimeout;
	}

}
