package dev.llmfallback.state;

/**
 * One deployment's use of its {@code rpm}/{@code tpm} limits, counted across replicas over a
 * sliding minute. This replica adds what it used without waiting; each answer tells the usage of all
 * replicas, its own included, so a limit holds for the application rather than for each replica
 * (give or take the requests in flight between two answers).
 */
public interface SharedUsage {

	/**
	 * Counts this replica's use, and asks for the totals.
	 * @param requests requests started (0 to ask for the totals alone)
	 * @param tokens tokens used
	 */
	void add(long requests, long tokens);

	/** Told the totals; called on the store's threads. */
	interface Listener {

		/**
		 * The usage of all replicas over the last minute, once an {@link SharedUsage#add} was counted.
		 * @param requests requests in the last minute
		 * @param tokens tokens in the last minute
		 * @param addedRequests the requests of the {@code add} this answers
		 * @param addedTokens the tokens of the {@code add} this answers
		 */
		void totals(long requests, long tokens, long addedRequests, long addedTokens);

		/**
		 * The {@code add} this would have answered was lost (the store is unreachable).
		 * @param addedRequests its requests
		 * @param addedTokens its tokens
		 */
		void lost(long addedRequests, long addedTokens);

	}

}
