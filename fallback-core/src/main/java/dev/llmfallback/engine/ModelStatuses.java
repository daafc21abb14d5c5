package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.llmfallback.policy.ModelDefinition;

/**
 * The engine's answers to operators (the actuator's health, endpoint and metrics): each model's
 * state read from its circuit at the moment of asking, never mirrored elsewhere.
 */
final class ModelStatuses {

	private final Map<String, ModelRuntime> models;

	private final Map<String, ModelDefinition> definitions;

	private final EngineClock clock;

	ModelStatuses(Map<String, ModelRuntime> models, EngineClock clock) {
		this.models = models;
		this.clock = clock;
		Map<String, ModelDefinition> definitions = new LinkedHashMap<>();
		models.forEach((name, runtime) -> definitions.put(name, runtime.definition()));
		this.definitions = Collections.unmodifiableMap(definitions);
	}

	/** @return every model's definition by name, in configuration order (one shared view) */
	Map<String, ModelDefinition> definitions() {
		return this.definitions;
	}

	ModelRuntime runtime(String model) {
		ModelRuntime runtime = this.models.get(model);
		if (runtime == null) {
			throw new IllegalArgumentException(
					"Unknown model '" + model + "'; configured models: " + String.join(", ", this.models.keySet()));
		}
		return runtime;
	}

	int maxInputTokens(String model) {
		return runtime(model).maxInputTokens();
	}

	ModelStatus status(String model) {
		return status(runtime(model), this.clock.nanoTime());
	}

	List<ModelStatus> statuses() {
		long now = this.clock.nanoTime();
		List<ModelStatus> statuses = new ArrayList<>(this.models.size());
		this.models.values().forEach((runtime) -> statuses.add(status(runtime, now)));
		return statuses;
	}

	PolicyStatus status(CompiledPolicy policy) {
		long now = this.clock.nanoTime();
		List<ModelStatus> chain = new ArrayList<>(policy.chain().size());
		boolean available = false;
		for (ModelRuntime model : policy.chain()) {
			ModelStatus status = status(model, now);
			available |= status.available();
			chain.add(status);
		}
		return new PolicyStatus(policy.name(), available, chain);
	}

	boolean resetCooldown(String model) {
		boolean reset = false;
		for (Deployment deployment : runtime(model).deployments()) {
			reset |= deployment.circuit().reset();
		}
		return reset;
	}

	/** A model's status; for one that lists deployments, built from theirs. */
	private static ModelStatus status(ModelRuntime model, long now) {
		if (model.definition().deployments().isEmpty()) {
			return model.circuit().status(now);
		}
		List<ModelStatus> deployments = new ArrayList<>(model.deployments().length);
		for (Deployment deployment : model.deployments()) {
			deployments.add(deployment.circuit().status(now).ofDeployment(deployment.name()));
		}
		return ModelStatus.ofModel(model.name(), model.providerName(), deployments);
	}

}
