package dev.llmfallback.engine;

import java.util.Arrays;

import dev.llmfallback.state.SharedLatency;
import dev.llmfallback.state.SharedState;

/**
 * {@link LatencyFigures} pooled across replicas. Each latency is recorded here ({@link LocalLatencyFigures},
 * what decides while the store is unreachable or before the pool is known) and added to the pool;
 * reads use the pool as last fetched, fetched again at most once a second, so every replica ranks
 * deployments and places hedges by what all of them observed.
 */
final class SharedLatencyFigures implements LatencyFigures, SharedLatency.Listener {

	private static final long REFRESH_NANOS = 1_000_000_000L;

	private final LocalLatencyFigures local = new LocalLatencyFigures();

	private final SharedState state;

	private final SharedLatency shared;

	/** The pool, oldest first, and its moving average; empty until first fetched. */
	private volatile long[] pool = new long[0];

	private volatile long poolAverage = -1;

	private volatile long fetchedAt = System.nanoTime() - 2 * REFRESH_NANOS;

	SharedLatencyFigures(SharedState state, String key) {
		this.state = state;
		this.shared = state.latency(key, this);
	}

	@Override
	public void record(long nanos) {
		this.local.record(nanos);
		if (this.state.connected()) {
			this.shared.record(nanos);
		}
	}

	@Override
	public long average() {
		return usePool(1) ? this.poolAverage : this.local.average();
	}

	@Override
	public long percentile(double percentile, int minSamples) {
		if (!usePool(Math.max(1, minSamples))) {
			return this.local.percentile(percentile, minSamples);
		}
		long[] sorted = this.pool.clone();
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
	}

	/** Whether the pool decides (shared now, and holding enough); fetches it again when a second old. */
	private boolean usePool(int minSamples) {
		if (!this.state.connected()) {
			return false;
		}
		long now = System.nanoTime();
		if (now - this.fetchedAt > REFRESH_NANOS) {
			this.fetchedAt = now;
			this.shared.refresh();
		}
		return this.pool.length >= minSamples;
	}

	@Override
	public void recent(long[] newestFirst) {
		long[] oldestFirst = new long[newestFirst.length];
		double average = -1;
		for (int i = 0; i < newestFirst.length; i++) {
			long nanos = newestFirst[newestFirst.length - 1 - i];
			oldestFirst[i] = nanos;
			average = (average < 0) ? nanos : average + LocalLatencyFigures.WEIGHT * (nanos - average);
		}
		this.poolAverage = (long) average;
		this.pool = oldestFirst;
	}

}
