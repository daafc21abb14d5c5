package dev.llmfallback.engine;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.state.SharedState;

/**
 * Where the state that routing and hedging share across requests lives: each deployment's usage
 * of its limits and its latency figures, and each policy's hedge budget. The engine asks for each
 * piece once, at assembly. {@link #local()} keeps it in this JVM; {@link #shared(SharedState)}
 * shares circuits, usage and latency figures with the other replicas (hedge budgets stay each
 * replica's own: each caps its own duplicate calls).
 */
interface StateStore {

	/**
	 * @param deployment the model and deployment, e.g. {@code gpt-4o@azure-east/gpt-4o}
	 * @param rpm requests per minute, or {@code null}
	 * @param tpm tokens per minute, or {@code null}
	 * @return the deployment's usage window
	 */
	UsageWindow usage(String deployment, @Nullable Integer rpm, @Nullable Integer tpm);

	/**
	 * @param deployment the model and deployment
	 * @return the deployment's latency figures
	 */
	LatencyFigures latency(String deployment);

	/**
	 * @param policy the policy
	 * @param maxRate the largest share of requests hedged
	 * @return the policy's hedge budget
	 */
	HedgeBudget hedgeBudget(String policy, double maxRate);

	/**
	 * Links a circuit to the same circuit on the other replicas; nothing where state is local.
	 * @param circuit the circuit
	 * @param key its name, the same on every replica
	 */
	default void share(ModelCircuit circuit, String key) {
	}

	/** @return whether the state is shared with other replicas now */
	default boolean connected() {
		return false;
	}

	/**
	 * @param state the state shared by the replicas
	 * @return a store that shares circuits, usage and latency figures through it
	 */
	static StateStore shared(SharedState state) {
		StateStore local = local();
		return new StateStore() {

			@Override
			public UsageWindow usage(String deployment, @Nullable Integer rpm, @Nullable Integer tpm) {
				return new SharedUsageWindow(state, deployment, rpm, tpm);
			}

			@Override
			public LatencyFigures latency(String deployment) {
				return new SharedLatencyFigures(state, deployment);
			}

			@Override
			public HedgeBudget hedgeBudget(String policy, double maxRate) {
				return local.hedgeBudget(policy, maxRate);
			}

			@Override
			public void share(ModelCircuit circuit, String key) {
				circuit.share(state, key);
			}

			@Override
			public boolean connected() {
				return state.connected();
			}

		};
	}

	/** @return a store that keeps everything in this JVM */
	static StateStore local() {
		return new StateStore() {

			@Override
			public UsageWindow usage(String deployment, @Nullable Integer rpm, @Nullable Integer tpm) {
				return new LocalUsageWindow(rpm, tpm);
			}

			@Override
			public LatencyFigures latency(String deployment) {
				return new LocalLatencyFigures();
			}

			@Override
			public HedgeBudget hedgeBudget(String policy, double maxRate) {
				return new LocalHedgeBudget(maxRate);
			}

		};
	}

}
