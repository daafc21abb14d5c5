package dev.llmfallback.state;

/**
 * One deployment's recent latencies, pooled across replicas: what {@code lowest-latency} routing
 * and {@code hedge.after-percentile} read, so that every replica ranks and hedges by what all of
 * them observed. This replica adds each latency without waiting and reads the pool at most once a
 * second.
 */
public interface SharedLatency {

	/**
	 * Adds the latency of a call that answered here.
	 * @param nanos how long it took
	 */
	void record(long nanos);

	/** Asks for the pool's recent latencies; they come to the {@link Listener}. */
	void refresh();

	/** Told the pool; called on the store's threads. */
	interface Listener {

		/**
		 * @param nanos the most recent latencies of all replicas, newest first
		 */
		void recent(long[] nanos);

	}

}
