package dev.llmfallback.engine;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.state.SharedState;
import dev.llmfallback.state.SharedUsage;

/**
 * A {@link UsageWindow} counted across replicas. This replica's own use stays counted exactly in
 * a {@link LocalUsageWindow} (what decides while the store is unreachable); while it is reachable,
 * a request is refused when the usage of all replicas, as the store last told it, plus what this
 * replica added since, reaches a limit. The totals come back with each addition and, while a limit
 * refuses, at most once a second, so a deployment at capacity sees its minute slide.
 */
final class SharedUsageWindow implements UsageWindow, SharedUsage.Listener {

	private static final long REFRESH_NANOS = 1_000_000_000L;

	private final LocalUsageWindow local;

	private final SharedState state;

	private final SharedUsage shared;

	private final long rpm;

	private final long tpm;

	/** All replicas' requests and tokens over the last minute, as last told. */
	private long requests;

	private long tokens;

	/** Added here but not yet in a total. */
	private long pendingRequests;

	private long pendingTokens;

	private long refreshedAt = Long.MIN_VALUE / 2;

	SharedUsageWindow(SharedState state, String key, @Nullable Integer rpm, @Nullable Integer tpm) {
		this.local = new LocalUsageWindow(rpm, tpm);
		this.state = state;
		this.rpm = (rpm != null) ? rpm : 0;
		this.tpm = (tpm != null) ? tpm : 0;
		this.shared = state.usage(key, this);
	}

	@Override
	public boolean tryTake(long now) {
		synchronized (this) {
			if (sharedFull(now) || !this.local.tryTake(now)) {
				return false;
			}
			this.pendingRequests++;
		}
		this.shared.add(1, 0);
		return true;
	}

	@Override
	public boolean atCapacity(long now) {
		synchronized (this) {
			if (!sharedFull(now)) {
				return this.local.atCapacity(now);
			}
		}
		return true;
	}

	@Override
	public void addTokens(long tokens, long now) {
		if (tokens <= 0) {
			return;
		}
		this.local.addTokens(tokens, now);
		synchronized (this) {
			this.pendingTokens += tokens;
		}
		this.shared.add(0, tokens);
	}

	@Override
	public double load(long now) {
		double local = this.local.load(now);
		if (!this.state.connected()) {
			return local;
		}
		synchronized (this) {
			double requestShare = (this.rpm > 0) ? (double) (this.requests + this.pendingRequests) / this.rpm : 0;
			double tokenShare = (this.tpm > 0) ? (double) (this.tokens + this.pendingTokens) / this.tpm : 0;
			return Math.min(1, Math.max(local, Math.max(requestShare, tokenShare)));
		}
	}

	/** Whether the replicas together are at a limit; asks for fresh totals when the last are old. */
	private boolean sharedFull(long now) {
		if (!this.state.connected()) {
			return false;
		}
		boolean full = (this.rpm > 0 && this.requests + this.pendingRequests >= this.rpm)
				|| (this.tpm > 0 && this.tokens + this.pendingTokens >= this.tpm);
		if (full && now - this.refreshedAt > REFRESH_NANOS) {
			this.refreshedAt = now;
			this.shared.add(0, 0);
		}
		return full;
	}

	@Override
	public synchronized void totals(long requests, long tokens, long addedRequests, long addedTokens) {
		this.requests = requests;
		this.tokens = tokens;
		settle(addedRequests, addedTokens);
	}

	@Override
	public synchronized void lost(long addedRequests, long addedTokens) {
		settle(addedRequests, addedTokens);
	}

	private void settle(long addedRequests, long addedTokens) {
		this.pendingRequests = Math.max(0, this.pendingRequests - addedRequests);
		this.pendingTokens = Math.max(0, this.pendingTokens - addedTokens);
	}

}
