package dev.llmfallback.engine;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.policy.HedgeSpec;

/**
 * A policy's hedging: when a second call starts while the first has not answered, and whether the
 * policy's budget allows one more. Built once per policy that sets {@code hedge}.
 */
final class Hedge {

	private final HedgeSpec spec;

	private final HedgeBudget budget;

	Hedge(HedgeSpec spec, HedgeBudget budget) {
		this.spec = spec;
		this.budget = budget;
	}

	HedgeSpec spec() {
		return this.spec;
	}

	/** Whether a call's deployment needs latency figures for this hedge. */
	boolean needsLatency() {
		return this.spec.afterPercentile() != null;
	}

	/**
	 * How long to wait for a call before hedging it.
	 * @param call the call
	 * @return the wait in nanoseconds, or -1 for no hedge (a percentile not known yet)
	 */
	long delayNanos(Call call) {
		if (this.spec.after() != null) {
			return this.spec.after().toNanos();
		}
		Double afterPercentile = this.spec.afterPercentile(); // set whenever after is not
		LatencyFigures latency = call.deployment().latency();
		long percentile = (latency != null && afterPercentile != null)
				? latency.percentile(afterPercentile, HedgeSpec.MIN_SAMPLES) : -1;
		return (percentile < 0) ? -1 : Math.max(percentile, this.spec.minAfter().toNanos());
	}

	void onRequest(long now) {
		this.budget.onRequest(now);
	}

	boolean tryHedge(long now) {
		return this.budget.tryHedge(now);
	}

	static @Nullable Hedge of(@Nullable HedgeSpec spec, String policy, StateStore store) {
		return (spec != null) ? new Hedge(spec, store.hedgeBudget(policy, spec.maxRate())) : null;
	}

}
