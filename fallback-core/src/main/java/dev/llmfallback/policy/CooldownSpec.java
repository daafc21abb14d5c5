package dev.llmfallback.policy;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * When a model stops being called for a while, and for how long. A model starts cooling down when
 * {@code failures} failures that count (rate limits, 5xx, timeouts, invalid responses) fall within
 * {@code window}, or at once after a failure that calls for it (connection, authentication,
 * permission, not found, quota). After {@code duration}, one trial request is let through
 * (half-open): success ends the cooldown, failure starts a new one twice as long, up to
 * {@code max-duration} (by default {@value #DEFAULT_MAX_DURATION_FACTOR} times {@code duration}).
 * Immutable; build with {@link #builder()}.
 */
public final class CooldownSpec {

	public static final int DEFAULT_FAILURES = 3;

	public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

	public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);

	public static final int DEFAULT_MAX_DURATION_FACTOR = 10;

	private static final CooldownSpec DEFAULTS = builder().build();

	private final int failures;

	private final Duration window;

	private final Duration duration;

	private final Duration maxDuration;

	private CooldownSpec(Builder builder) {
		this.failures = (int) Checks.atLeast("cooldown.failures", builder.failures, 1);
		this.window = Checks.positive("cooldown.window", builder.window);
		this.duration = Checks.positive("cooldown.duration", builder.duration);
		this.maxDuration = (builder.maxDuration != null)
				? Checks.positive("cooldown.max-duration", builder.maxDuration)
				: this.duration.multipliedBy(DEFAULT_MAX_DURATION_FACTOR);
		if (this.maxDuration.compareTo(this.duration) < 0) {
			throw new FallbackConfigurationException("cooldown.max-duration",
					"must not be shorter than cooldown.duration (" + this.duration + "), was " + this.maxDuration,
					"Raise cooldown.max-duration or lower cooldown.duration");
		}
	}

	public static Builder builder() {
		return new Builder();
	}

	public static CooldownSpec defaults() {
		return DEFAULTS;
	}

	public Builder toBuilder() {
		return new Builder().failures(this.failures)
			.window(this.window)
			.duration(this.duration)
			.maxDuration(this.maxDuration);
	}

	/** @return the failures within the window that start a cooldown */
	public int failures() {
		return this.failures;
	}

	public Duration window() {
		return this.window;
	}

	/** @return the length of a first cooldown */
	public Duration duration() {
		return this.duration;
	}

	/** @return the longest a cooldown grows to after failed trials */
	public Duration maxDuration() {
		return this.maxDuration;
	}

	/**
	 * The length of a cooldown after {@code failedTrials} failed half-open trials in a row.
	 * @param failedTrials 0 for a first cooldown
	 * @return {@code duration × 2^failedTrials}, at most {@code max-duration}
	 */
	public Duration durationAfter(int failedTrials) {
		long nanos = this.duration.toNanos();
		long max = this.maxDuration.toNanos();
		for (int i = 0; i < failedTrials && nanos < max; i++) {
			nanos = (nanos > max / 2) ? max : nanos * 2;
		}
		return Duration.ofNanos(Math.min(nanos, max));
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof CooldownSpec that) && this.failures == that.failures && this.window.equals(that.window)
				&& this.duration.equals(that.duration) && this.maxDuration.equals(that.maxDuration);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.failures, this.window, this.duration, this.maxDuration);
	}

	@Override
	public String toString() {
		return "CooldownSpec[failures=" + this.failures + ", window=" + this.window + ", duration=" + this.duration
				+ ", maxDuration=" + this.maxDuration + "]";
	}

	/** Builds a {@link CooldownSpec}. Not thread-safe. */
	public static final class Builder {

		private long failures = DEFAULT_FAILURES;

		private Duration window = DEFAULT_WINDOW;

		private Duration duration = DEFAULT_DURATION;

		private @Nullable Duration maxDuration;

		private Builder() {
		}

		public Builder failures(long failures) {
			this.failures = failures;
			return this;
		}

		public Builder window(Duration window) {
			this.window = window;
			return this;
		}

		public Builder duration(Duration duration) {
			this.duration = duration;
			return this;
		}

		/**
		 * The longest a cooldown grows to after failed trials.
		 * @param maxDuration the cap, or {@code null} for ten times {@code duration}
		 * @return this builder
		 */
		public Builder maxDuration(@Nullable Duration maxDuration) {
			this.maxDuration = maxDuration;
			return this;
		}

		public CooldownSpec build() {
			return new CooldownSpec(this);
		}

	}

}
