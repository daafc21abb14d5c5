package dev.llmfallback.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.FixedBackOff;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;

/**
 * How one model is retried within a request: exponential back-off with jitter, and how long a
 * provider's {@code Retry-After} may make the walk wait before it hops instead. Immutable; build with
 * {@link #builder()}, or take {@link #defaults()}.
 *
 * <p>{@code max-retries} counts retries, not calls, as Spring Framework's {@link RetryPolicy} does:
 * a model is called at most {@code 1 + max-retries} times per request (and never more than the
 * policy's {@code max-attempts} across the whole chain). {@code jitter} is a factor of each delay,
 * from 0 (none) to 1: with {@code 0.2} each delay varies by up to ±20 %.
 */
public final class RetrySpec {

	public static final int DEFAULT_MAX_RETRIES = 2;

	public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

	public static final double DEFAULT_MULTIPLIER = 2.0;

	public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

	public static final double DEFAULT_JITTER = 0.2;

	public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(10);

	private static final RetrySpec DEFAULTS = builder().build();

	private final int maxRetries;

	private final Duration initialBackoff;

	private final double multiplier;

	private final Duration maxBackoff;

	private final double jitter;

	private final Duration maxRetryAfter;

	private RetrySpec(Builder builder) {
		this.maxRetries = (int) Checks.atLeast("retry.max-retries", builder.maxRetries, 0);
		this.initialBackoff = Checks.notNegative("retry.initial-backoff", builder.initialBackoff);
		this.multiplier = Checks.between("retry.multiplier", builder.multiplier, 1.0, 100.0);
		this.maxBackoff = Checks.notNegative("retry.max-backoff", builder.maxBackoff);
		if (this.maxBackoff.compareTo(this.initialBackoff) < 0) {
			throw new FallbackConfigurationException("retry.max-backoff",
					"must not be shorter than retry.initial-backoff (" + this.initialBackoff + "), was " + this.maxBackoff,
					"Raise retry.max-backoff or lower retry.initial-backoff");
		}
		this.jitter = Checks.between("retry.jitter", builder.jitter, 0.0, 1.0);
		this.maxRetryAfter = Checks.notNegative("retry.max-retry-after", builder.maxRetryAfter);
	}

	public static Builder builder() {
		return new Builder();
	}

	/** @return a spec with every default */
	public static RetrySpec defaults() {
		return DEFAULTS;
	}

	/**
	 * A builder holding this spec's values, to derive a changed copy.
	 * @return the builder
	 */
	public Builder toBuilder() {
		return new Builder().maxRetries(this.maxRetries)
			.initialBackoff(this.initialBackoff)
			.multiplier(this.multiplier)
			.maxBackoff(this.maxBackoff)
			.jitter(this.jitter)
			.maxRetryAfter(this.maxRetryAfter);
	}

	/**
	 * The Spring Framework retry policy for these settings: it says which failures are retried (those
	 * whose category is in {@code retryOn}) and yields the back-off delays. The engine only reads
	 * delays from it and waits with Reactor timers; it never runs Spring's blocking
	 * {@code RetryTemplate}.
	 * @param retryOn the categories to retry
	 * @return the retry policy
	 */
	public RetryPolicy toRetryPolicy(Set<ErrorCategory> retryOn) {
		Set<ErrorCategory> categories = Set.copyOf(retryOn);
		RetryPolicy.Builder builder = RetryPolicy.builder()
			.predicate((failure) -> failure instanceof LlmException llm && categories.contains(llm.category()));
		if (this.maxBackoff.isZero()) {
			// Spring's exponential back-off needs a positive maximum; retrying at once is a fixed zero delay.
			return builder.backOff(new FixedBackOff(0, this.maxRetries)).build();
		}
		builder.maxRetries(this.maxRetries)
			.delay(this.initialBackoff)
			.multiplier(this.multiplier)
			.maxDelay(this.maxBackoff);
		long initialNanos = this.initialBackoff.toNanos();
		if (this.jitter > 0 && initialNanos > 0) {
			// Spring's jitter is a duration scaled by the multiplier at each step, so a factor of the
			// initial delay becomes the same factor of every later delay.
			builder.jitter(Duration.ofNanos((long) (initialNanos * this.jitter)));
		}
		return builder.build();
	}

	public int maxRetries() {
		return this.maxRetries;
	}

	public Duration initialBackoff() {
		return this.initialBackoff;
	}

	public double multiplier() {
		return this.multiplier;
	}

	public Duration maxBackoff() {
		return this.maxBackoff;
	}

	public double jitter() {
		return this.jitter;
	}

	/** @return the longest {@code Retry-After} the walk waits for before it hops to the next model instead */
	public Duration maxRetryAfter() {
		return this.maxRetryAfter;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof RetrySpec that) && this.maxRetries == that.maxRetries
				&& this.initialBackoff.equals(that.initialBackoff) && this.multiplier == that.multiplier
				&& this.maxBackoff.equals(that.maxBackoff) && this.jitter == that.jitter
				&& this.maxRetryAfter.equals(that.maxRetryAfter);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.maxRetries, this.initialBackoff, this.multiplier, this.maxBackoff, this.jitter,
				this.maxRetryAfter);
	}

	@Override
	public String toString() {
		return "RetrySpec[maxRetries=" + this.maxRetries + ", initialBackoff=" + this.initialBackoff + ", multiplier="
				+ this.multiplier + ", maxBackoff=" + this.maxBackoff + ", jitter=" + this.jitter + ", maxRetryAfter="
				+ this.maxRetryAfter + "]";
	}

	/** Builds a {@link RetrySpec}. Not thread-safe. */
	public static final class Builder {

		private long maxRetries = DEFAULT_MAX_RETRIES;

		private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;

		private double multiplier = DEFAULT_MULTIPLIER;

		private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

		private double jitter = DEFAULT_JITTER;

		private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;

		private Builder() {
		}

		public Builder maxRetries(long maxRetries) {
			this.maxRetries = maxRetries;
			return this;
		}

		public Builder initialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
			return this;
		}

		public Builder multiplier(double multiplier) {
			this.multiplier = multiplier;
			return this;
		}

		public Builder maxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
			return this;
		}

		public Builder jitter(double jitter) {
			this.jitter = jitter;
			return this;
		}

		public Builder maxRetryAfter(Duration maxRetryAfter) {
			this.maxRetryAfter = maxRetryAfter;
			return this;
		}

		public RetrySpec build() {
			return new RetrySpec(this);
		}

	}

}
