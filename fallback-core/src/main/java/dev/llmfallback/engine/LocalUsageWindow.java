package dev.llmfallback.engine;

import org.jspecify.annotations.Nullable;

/**
 * This JVM's {@link UsageWindow}. Requests are counted exactly: the times of the last {@code rpm}
 * requests in a ring, so a request is refused while the oldest of them is less than a minute old
 * (no minute, however placed, holds more than {@code rpm}). Tokens are counted in one-second
 * buckets, summed over the 61 buckets that cover any minute, so the sum never under-counts.
 */
final class LocalUsageWindow implements UsageWindow {

	private static final long SECOND = 1_000_000_000L;

	private static final int BUCKETS = 61;

	private final int rpm;

	private final long tpm;

	/** Times of the last {@code rpm} requests; {@code null} without an rpm limit. */
	private final long @Nullable [] requests;

	private int next;

	private int taken;

	/** Tokens per second, by {@code second % BUCKETS}; {@code null} without a tpm limit. */
	private final long @Nullable [] tokens;

	private final long[] bucketSecond;

	LocalUsageWindow(@Nullable Integer rpm, @Nullable Integer tpm) {
		this.rpm = (rpm != null) ? rpm : 0;
		this.tpm = (tpm != null) ? tpm : 0;
		this.requests = (rpm != null) ? new long[rpm] : null;
		this.tokens = (tpm != null) ? new long[BUCKETS] : null;
		this.bucketSecond = new long[BUCKETS];
	}

	@Override
	public synchronized boolean tryTake(long now) {
		if (atCapacity(now)) {
			return false;
		}
		if (this.requests != null) {
			this.requests[this.next] = now;
			this.next = (this.next + 1) % this.rpm;
			this.taken = Math.min(this.taken + 1, this.rpm);
		}
		return true;
	}

	@Override
	public synchronized boolean atCapacity(long now) {
		return requestsFull(now) || (this.tokens != null && tokensIn(this.tokens, now) >= this.tpm);
	}

	@Override
	public synchronized void addTokens(long tokens, long now) {
		if (this.tokens == null || tokens <= 0) {
			return;
		}
		long second = Math.floorDiv(now, SECOND);
		int bucket = (int) Math.floorMod(second, BUCKETS);
		if (this.bucketSecond[bucket] != second) {
			this.bucketSecond[bucket] = second;
			this.tokens[bucket] = 0;
		}
		this.tokens[bucket] += tokens;
	}

	@Override
	public synchronized double load(long now) {
		double requestShare = (this.requests != null) ? (double) requestsIn(this.requests, now) / this.rpm : 0;
		double tokenShare = (this.tokens != null) ? (double) tokensIn(this.tokens, now) / this.tpm : 0;
		return Math.min(1, Math.max(requestShare, tokenShare));
	}

	private boolean requestsFull(long now) {
		// The slot written next holds the oldest of the last rpm requests.
		return this.requests != null && this.taken == this.rpm && now - this.requests[this.next] < WINDOW_NANOS;
	}

	private int requestsIn(long[] requests, long now) {
		int count = 0;
		for (int i = 0; i < this.taken; i++) {
			if (now - requests[i] < WINDOW_NANOS) {
				count++;
			}
		}
		return count;
	}

	private long tokensIn(long[] tokens, long now) {
		long second = Math.floorDiv(now, SECOND);
		long sum = 0;
		for (int i = 0; i < BUCKETS; i++) {
			if (second - this.bucketSecond[i] < BUCKETS) {
				sum += tokens[i];
			}
		}
		return sum;
	}

}
