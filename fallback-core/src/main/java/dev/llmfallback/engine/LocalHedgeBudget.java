package dev.llmfallback.engine;

/**
 * This JVM's {@link HedgeBudget}: requests and hedges counted in one-second buckets over the last
 * {@value #BUCKETS} seconds.
 */
final class LocalHedgeBudget implements HedgeBudget {

	private static final long SECOND = 1_000_000_000L;

	private static final int BUCKETS = 60;

	private final double maxRate;

	private final long[] requests = new long[BUCKETS];

	private final long[] hedges = new long[BUCKETS];

	private final long[] bucketSecond = new long[BUCKETS];

	LocalHedgeBudget(double maxRate) {
		this.maxRate = maxRate;
		java.util.Arrays.fill(this.bucketSecond, Long.MIN_VALUE);
	}

	@Override
	public synchronized void onRequest(long now) {
		this.requests[bucket(now)]++;
	}

	@Override
	public synchronized boolean tryHedge(long now) {
		int current = bucket(now);
		long second = Math.floorDiv(now, SECOND);
		long requests = 0;
		long hedges = 0;
		for (int i = 0; i < BUCKETS; i++) {
			if (second - this.bucketSecond[i] < BUCKETS) {
				requests += this.requests[i];
				hedges += this.hedges[i];
			}
		}
		if (hedges + 1 > this.maxRate * requests) {
			return false;
		}
		this.hedges[current]++;
		return true;
	}

	private int bucket(long now) {
		long second = Math.floorDiv(now, SECOND);
		int bucket = (int) Math.floorMod(second, BUCKETS);
		if (this.bucketSecond[bucket] != second) {
			this.bucketSecond[bucket] = second;
			this.requests[bucket] = 0;
			this.hedges[bucket] = 0;
		}
		return bucket;
	}

}
