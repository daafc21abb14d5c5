package dev.llmfallback.state;

/**
 * State the replicas of one application share: each circuit's failures, cooldowns and half-open
 * trial, and each deployment's use of its {@code rpm}/{@code tpm} limits and its latencies.
 *
 * <p>The engine never waits on it. Every request still decides from this replica's memory; what
 * this replica sees is sent on without waiting for an answer, and what the others saw arrives
 * through the listeners given here, on the store's threads. While the store is unreachable each
 * method acts as if the replica were alone ({@link #connected()} is then {@code false}), so an
 * outage of the store is never an outage of the application.
 */
public interface SharedState {

	/**
	 * Links one circuit to the same circuit on the other replicas.
	 * @param key the model, or {@code model@provider/id} for a deployment: the same on every replica
	 * @param listener told what the other replicas did to it
	 * @return where this replica tells what it did
	 */
	SharedCircuit circuit(String key, SharedCircuit.Listener listener);

	/**
	 * Links one deployment's usage of its limits to its usage on the other replicas.
	 * @param key the model and deployment, e.g. {@code gpt-4o@azure-east/gpt-4o}
	 * @param listener told the usage of all replicas over the last minute
	 * @return where this replica counts its own usage
	 */
	SharedUsage usage(String key, SharedUsage.Listener listener);

	/**
	 * Links one deployment's latency figures to its latencies on the other replicas.
	 * @param key the model and deployment
	 * @param listener told the pool of recent latencies
	 * @return where this replica adds its own
	 */
	SharedLatency latency(String key, SharedLatency.Listener listener);

	/**
	 * @return whether the state is shared now; {@code false} while the store is unreachable and
	 * each replica decides alone
	 */
	boolean connected();

}
