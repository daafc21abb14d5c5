package dev.llmfallback.engine;

import java.util.List;

/**
 * A snapshot of one policy's chain as the engine sees it, for health indicators and endpoints
 * that would otherwise each work out "is any model of the chain available" themselves.
 *
 * @param policy the policy's name
 * @param available whether any model of its chain would be called by a request arriving now
 * @param models the status of each model of the chain, in chain order
 */
public record PolicyStatus(String policy, boolean available, List<ModelStatus> models) {

	public PolicyStatus {
		models = List.copyOf(models);
	}

}
