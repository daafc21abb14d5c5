package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.llmfallback.state.SharedCircuit;
import dev.llmfallback.state.SharedLatency;
import dev.llmfallback.state.SharedState;
import dev.llmfallback.state.SharedUsage;

import static org.assertj.core.api.Assertions.assertThat;

/** Latency figures pooled across replicas: the pool decides once known, this replica's own otherwise. */
class SharedLatencyFiguresTests {

	private final PoolState pool = new PoolState();

	private final SharedLatencyFigures figures = new SharedLatencyFigures(this.pool, "m@p/x");

	@Test
	void ownLatenciesDecideUntilThePoolIsKnownAndEachIsAddedToThePool() {
		this.figures.record(10);
		this.figures.record(20);
		assertThat(this.pool.added).containsExactly(10L, 20L);
		assertThat(this.figures.percentile(50, 2)).isEqualTo(10);
		assertThat(this.pool.refreshes).as("asked for the pool once, not on every read").isEqualTo(1);
		assertThat(this.figures.average()).isEqualTo(13);
	}

	@Test
	void thePoolOfAllReplicasDecidesOnceKnown() {
		this.figures.record(10);
		this.figures.average();
		// Newest first, as the store keeps it: other replicas saw 100 ms calls.
		this.pool.listener.recent(new long[] { 100, 100, 100, 10 });
		assertThat(this.figures.percentile(50, 4)).isEqualTo(100);
		assertThat(this.figures.average()).isGreaterThan(50);
		assertThat(this.figures.percentile(50, 5)).as("too few pooled: this replica's own").isEqualTo(-1);
	}

	@Test
	void whileTheStoreIsUnreachableOnlyOwnLatenciesCountAndNothingIsSent() {
		this.pool.listener.recent(new long[] { 100, 100, 100 });
		this.pool.connected = false;
		this.figures.record(10);
		assertThat(this.pool.added).isEmpty();
		assertThat(this.figures.percentile(50, 1)).isEqualTo(10);
	}

	private static final class PoolState implements SharedState, SharedLatency {

		final List<Long> added = new ArrayList<>();

		SharedLatency.Listener listener;

		int refreshes;

		boolean connected = true;

		@Override
		public SharedCircuit circuit(String key, SharedCircuit.Listener listener) {
			throw new UnsupportedOperationException();
		}

		@Override
		public SharedUsage usage(String key, SharedUsage.Listener listener) {
			throw new UnsupportedOperationException();
		}

		@Override
		public SharedLatency latency(String key, SharedLatency.Listener listener) {
			this.listener = listener;
			return this;
		}

		@Override
		public boolean connected() {
			return this.connected;
		}

		@Override
		public void record(long nanos) {
			this.added.add(nanos);
		}

		@Override
		public void refresh() {
			this.refreshes++;
		}

	}

}
