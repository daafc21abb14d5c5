package dev.llmfallback.engine;

/**
 * A deployment's use of its {@code rpm}/{@code tpm} limits over a sliding minute, shared by every
 * request. Behind an interface so that a store shared by replicas (Redis: a sorted set of request
 * times and a per-second token counter, updated by one script) can replace {@link LocalUsageWindow}.
 */
interface UsageWindow {

	/** The window every limit is counted over. */
	long WINDOW_NANOS = 60_000_000_000L;

	/**
	 * Counts a request if both limits leave room for it.
	 * @param now the engine clock's time
	 * @return whether it was counted; {@code false} means the deployment is at capacity
	 */
	boolean tryTake(long now);

	/** Whether a request arriving now would be refused (asked without counting one). */
	boolean atCapacity(long now);

	/**
	 * Adds the tokens a call used, once its provider reported them.
	 * @param tokens the tokens
	 * @param now the engine clock's time
	 */
	void addTokens(long tokens, long now);

	/**
	 * How much of its limits the deployment uses: the larger of the two shares, from 0 (idle) to 1
	 * (at a limit).
	 * @param now the engine clock's time
	 * @return the share
	 */
	double load(long now);

}
