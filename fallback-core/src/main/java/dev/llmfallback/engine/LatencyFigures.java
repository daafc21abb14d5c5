package dev.llmfallback.engine;

/**
 * A deployment's observed latency: a moving average for {@code lowest-latency} routing and
 * percentiles for {@code hedge.after-percentile}. Behind an interface so that a store shared by
 * replicas can replace {@link LocalLatencyFigures} (Redis: a capped list of recent latencies per
 * deployment, pushed and trimmed in one script).
 */
interface LatencyFigures {

	/**
	 * Adds the latency of a call that answered.
	 * @param nanos how long it took
	 */
	void record(long nanos);

	/** @return the moving average in nanoseconds, or -1 before the first call answered */
	long average();

	/**
	 * A percentile of the recent latencies.
	 * @param percentile above 0, below 100
	 * @param minSamples the fewest latencies that make the figure trustworthy
	 * @return the latency in nanoseconds, or -1 while fewer than {@code minSamples} were seen
	 */
	long percentile(double percentile, int minSamples);

}
