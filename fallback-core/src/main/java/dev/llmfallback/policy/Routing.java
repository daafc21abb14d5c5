package dev.llmfallback.policy;

import java.util.Locale;

/** How a policy picks one of a model's deployments for each attempt. */
public enum Routing {

	/** At random, in proportion to the deployments' weights (equal weights shuffle). The default. */
	WEIGHTED,

	/** The deployment with the fewest calls in flight from this application. */
	LEAST_BUSY,

	/** The deployment with the lowest recent latency; one never called is tried first. */
	LOWEST_LATENCY,

	/** The deployment furthest below its {@code rpm}/{@code tpm} limits. */
	USAGE;

	private final String id = name().toLowerCase(Locale.ROOT).replace('_', '-');

	/** @return the name used in configuration, e.g. {@code least-busy} */
	public String id() {
		return this.id;
	}

	@Override
	public String toString() {
		return this.id;
	}

}
