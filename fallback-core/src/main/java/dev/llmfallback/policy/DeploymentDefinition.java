package dev.llmfallback.policy;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One place a model is served: a provider and the id it knows the model by, with its share of the
 * traffic and its own limits. A model that lists several (the same model on two Azure regions and
 * OpenAI, several vLLM servers) is routed across them by its policy's {@link Routing}.
 *
 * @param provider the configured provider name
 * @param model the id sent to that provider
 * @param weight its share under {@link Routing#WEIGHTED} routing (relative to the others')
 * @param rpm most requests per minute it takes, or {@code null} for no limit
 * @param tpm most tokens per minute it takes, or {@code null} for no limit
 */
public record DeploymentDefinition(String provider, String model, double weight, @Nullable Integer rpm,
		@Nullable Integer tpm) {

	public DeploymentDefinition {
		Objects.requireNonNull(provider, "provider");
		Objects.requireNonNull(model, "model");
		// of(...) checks the same with the property's full name; this guards direct construction.
		if (!(weight > 0) || Double.isInfinite(weight)) {
			throw new FallbackConfigurationException("deployments.weight", "must be greater than 0, was " + weight,
					"Give it a positive share such as 1");
		}
		if (rpm != null) {
			Checks.atLeast("deployments.rpm", rpm, 1);
		}
		if (tpm != null) {
			Checks.atLeast("deployments.tpm", tpm, 1);
		}
	}

	/**
	 * Checks one deployment of a model's list, naming the property on failure.
	 * @param property e.g. {@code models.gpt-4o.deployments[1]}
	 * @param provider the provider, required
	 * @param model the id, or {@code null} for the model's own
	 * @param defaultModel the model's own id
	 * @param weight the weight, or {@code null} for 1
	 * @param rpm requests per minute, or {@code null}
	 * @param tpm tokens per minute, or {@code null}
	 * @return the deployment
	 */
	public static DeploymentDefinition of(String property, @Nullable String provider, @Nullable String model,
			String defaultModel, @Nullable Double weight, @Nullable Integer rpm, @Nullable Integer tpm) {
		String checkedProvider = Checks.name(property + ".provider", provider,
				"Name the provider that serves this deployment (a key under llm.fallback.providers)");
		double checkedWeight = (weight != null) ? weight : 1.0;
		if (!(checkedWeight > 0) || Double.isInfinite(checkedWeight)) {
			throw new FallbackConfigurationException(property + ".weight", "must be greater than 0, was " + weight,
					"Give it a positive share such as 1 (weights are relative), or remove the deployment");
		}
		if (rpm != null) {
			Checks.atLeast(property + ".rpm", rpm, 1);
		}
		if (tpm != null) {
			Checks.atLeast(property + ".tpm", tpm, 1);
		}
		String id = (model != null && !model.isBlank()) ? model.trim() : defaultModel;
		return new DeploymentDefinition(checkedProvider, id, checkedWeight, rpm, tpm);
	}

	/** @return the name it is shown and tagged by: {@code provider/model} */
	public String name() {
		return this.provider + "/" + this.model;
	}

}
