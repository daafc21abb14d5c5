package dev.llmfallback.engine;

/**
 * The share of a policy's requests that may be hedged, over a sliding minute: a hedge is allowed
 * while the hedges in the window stay within {@code max-rate} of the requests in it. Behind an
 * interface so that a store shared by replicas can replace {@link LocalHedgeBudget}.
 */
interface HedgeBudget {

	/**
	 * Counts a request of the policy.
	 * @param now the engine clock's time
	 */
	void onRequest(long now);

	/**
	 * Counts a hedge if the budget has room for it.
	 * @param now the engine clock's time
	 * @return whether the hedge may start
	 */
	boolean tryHedge(long now);

}
