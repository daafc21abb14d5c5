package dev.llmfallback.policy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * When a policy starts a second call (a hedge) while the first has not answered: after a fixed
 * time ({@code after}), or after a percentile of the called deployment's observed latency
 * ({@code after-percentile}), never sooner than {@code min-after}. {@code max-rate} caps the share
 * of requests that are hedged over a sliding minute, so that a slow provider cannot double the
 * bill. Immutable; build with {@link #after(Duration)} or {@link #afterPercentile(double)}.
 *
 * @param after the fixed wait, or {@code null} when a percentile decides
 * @param afterPercentile the percentile (above 0, below 100) of observed latency, or {@code null}
 * @param minAfter the shortest wait a percentile may give
 * @param maxRate the largest share of requests hedged, from 0 to 1
 */
public record HedgeSpec(@Nullable Duration after, @Nullable Double afterPercentile, Duration minAfter, double maxRate) {

	/** The default cap: one request in ten. */
	public static final double DEFAULT_MAX_RATE = 0.10;

	/** The default floor under a percentile's wait. */
	public static final Duration DEFAULT_MIN_AFTER = Duration.ofMillis(200);

	/** Latencies a deployment must have shown before a percentile is trusted. */
	public static final int MIN_SAMPLES = 20;

	public HedgeSpec {
		if ((after == null) == (afterPercentile == null)) {
			throw new FallbackConfigurationException("hedge",
					(after == null) ? "sets neither after nor after-percentile" : "sets both after and after-percentile",
					"Set exactly one: hedge.after (e.g. 2s) or hedge.after-percentile (e.g. 95)");
		}
		if (after != null) {
			Checks.positive("hedge.after", after);
		}
		if (afterPercentile != null && !(afterPercentile > 0 && afterPercentile < 100)) {
			throw new FallbackConfigurationException("hedge.after-percentile",
					"must be above 0 and below 100, was " + afterPercentile, "Use e.g. 95 for the 95th percentile");
		}
		Checks.positive("hedge.min-after", minAfter);
		Checks.between("hedge.max-rate", maxRate, 0, 1);
	}

	/** Hedges after a fixed wait, with the default cap. */
	public static HedgeSpec after(Duration after) {
		return new HedgeSpec(after, null, DEFAULT_MIN_AFTER, DEFAULT_MAX_RATE);
	}

	/** Hedges after a percentile of observed latency, with the default floor and cap. */
	public static HedgeSpec afterPercentile(double percentile) {
		return new HedgeSpec(null, percentile, DEFAULT_MIN_AFTER, DEFAULT_MAX_RATE);
	}

	public HedgeSpec withMaxRate(double maxRate) {
		return new HedgeSpec(this.after, this.afterPercentile, this.minAfter, maxRate);
	}

	public HedgeSpec withMinAfter(Duration minAfter) {
		return new HedgeSpec(this.after, this.afterPercentile, minAfter, this.maxRate);
	}

}
