package dev.llmfallback.benchmarks.gateway;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured: the latency distribution (nanoseconds, HdrHistogram), the requests
 * answered with 200 within the measured window, the failed ones (another status, a connection error,
 * a timeout), and the window's length. A closed loop lets the requests in flight at the window's end
 * finish (they are in the distribution) but counts only those that ended inside it towards the rate.
 * @param latencies latencies in nanoseconds, of every request sent, failed ones included
 * @param completed requests answered with 200 that completed inside the window (for the rate)
 * @param answered requests answered with 200, those that ended after the window included
 * @param errors requests that failed
 * @param seconds the measured window
 */
public record LoadResult(Histogram latencies, long completed, long answered, long errors, double seconds) {

	/** @return answered requests per second over the window */
	public double rps() {
		return this.completed / this.seconds;
	}

	/**
	 * @param percentile such as 99.0
	 * @return that percentile of the latency, in microseconds
	 */
	double micros(double percentile) {
		return this.latencies.getValueAtPercentile(percentile) / 1_000.0;
	}

}
