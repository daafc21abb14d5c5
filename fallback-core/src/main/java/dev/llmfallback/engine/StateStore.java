package dev.llmfallback.engine;

import org.jspecify.annotations.Nullable;

/**
 * Where the state that routing and hedging share across requests lives: each deployment's usage
 * of its limits and its latency figures, and each policy's hedge budget. The engine asks for each
 * piece once, at assembly. {@link #local()} keeps it in this JVM; a store shared by replicas
 * (Redis) implements the same three methods with keys under its prefix.
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
