package dev.llmfallback.engine;

import java.util.Arrays;

/**
 * This JVM's {@link LatencyFigures}: an exponentially weighted moving average (each call weighs
 * {@value #WEIGHT}, so a slowdown shows within a few calls) and a ring of the last
 * {@value #RECENT} latencies for percentiles.
 */
final class LocalLatencyFigures implements LatencyFigures {

	static final double WEIGHT = 0.3;

	static final int RECENT = 256;

	private final long[] recent = new long[RECENT];

	private int next;

	private int count;

	private double average = -1;

	@Override
	public synchronized void record(long nanos) {
		this.recent[this.next] = nanos;
		this.next = (this.next + 1) % RECENT;
		this.count = Math.min(this.count + 1, RECENT);
		this.average = (this.average < 0) ? nanos : this.average + WEIGHT * (nanos - this.average);
	}

	@Override
	public synchronized long average() {
		return (long) this.average;
	}

	@Override
	public long percentile(double percentile, int minSamples) {
		long[] sorted;
		synchronized (this) {
			if (this.count < minSamples || this.count == 0) {
				return -1;
			}
			sorted = Arrays.copyOf(this.recent, this.count);
		}
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
	}

}
