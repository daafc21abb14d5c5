package dev.llmfallback.engine;

import java.time.Duration;
import java.util.Set;

import dev.llmfallback.policy.Capability;
import org.jspecify.annotations.Nullable;

import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.EmbeddingProvider;

/**
 * A configured model joined with its provider, its circuit, its resolved context window and its
 * resolved capabilities, and its {@link Deployment deployments} (one, made of the model itself,
 * unless it lists several). One per model, shared by every policy and request that calls it.
 */
final class ModelRuntime {

	private final ModelDefinition definition;

	private final ChatProvider provider;

	/** Never empty; cooldowns, limits and latency are per deployment. */
	private Deployment[] deployments;

	/** The resolved context window; 0 when neither the configuration nor the catalogue knows it. */
	private final int maxInputTokens;

	/** The resolved capabilities as {@link Needs} bits. */
	private final int capabilities;

	/** The model's position among the engine's models, for a walk's visited set. */
	private final int index;

	/** The vector length of an embedding model; 0 when unknown or a chat model. */
	private int dimensions;

	/** The dimensions to ask the provider for, {@code null} for the model's own. */
	private @Nullable Integer requestedDimensions;

	ModelRuntime(ModelDefinition definition, ChatProvider provider, ModelCircuit circuit, int maxInputTokens,
			Set<Capability> capabilities, int index) {
		this.definition = definition;
		this.provider = provider;
		this.maxInputTokens = maxInputTokens;
		this.capabilities = Needs.bits(capabilities);
		this.index = index;
		this.deployments = new Deployment[] { new Deployment(definition.provider() + "/" + definition.model(),
				definition.provider(), provider, definition.model(), 1, circuit, 0, null) };
	}

	/** Replaces the implicit deployment with the configured ones; once at assembly. */
	void deployments(Deployment[] deployments) {
		this.deployments = deployments;
	}

	Deployment[] deployments() {
		return this.deployments;
	}

	/** @return its deployment when it has exactly one (no routing to do), else {@code null} */
	@Nullable Deployment onlyDeployment() {
		return (this.deployments.length == 1) ? this.deployments[0] : null;
	}

	/** Whether every deployment is cooling down: a request arriving now would skip the model. */
	boolean isCooling(long now) {
		for (Deployment deployment : this.deployments) {
			if (!deployment.circuit().isCooling(now)) {
				return false;
			}
		}
		return true;
	}

	/** @return the deployment whose cooldown ends first */
	Deployment soonestDeployment() {
		Deployment soonest = this.deployments[0];
		for (Deployment deployment : this.deployments) {
			if (deployment.circuit().coolingEndsAt() - soonest.circuit().coolingEndsAt() < 0) {
				soonest = deployment;
			}
		}
		return soonest;
	}

	/** When the first of its deployments' cooldowns ends. */
	long coolingEndsAt() {
		return soonestDeployment().circuit().coolingEndsAt();
	}

	String name() {
		return this.definition.name();
	}

	String providerName() {
		return this.definition.provider();
	}

	/** @return the id sent to the provider */
	String providerModelId() {
		return this.definition.model();
	}

	ModelDefinition definition() {
		return this.definition;
	}

	ChatProvider provider() {
		return this.provider;
	}

	ModelType type() {
		return this.definition.type();
	}

	/** @return the provider as an embedding provider, or {@code null} where it has no embeddings */
	@Nullable EmbeddingProvider embeddingProvider() {
		return (this.provider instanceof EmbeddingProvider embeddings) ? embeddings : null;
	}

	/** @return the length of this embedding model's vectors, 0 when unknown */
	int dimensions() {
		return this.dimensions;
	}

	@Nullable Integer requestedDimensions() {
		return this.requestedDimensions;
	}

	/** Set once at assembly, before any request is made. */
	void dimensions(int dimensions, @Nullable Integer requestedDimensions) {
		this.dimensions = dimensions;
		this.requestedDimensions = requestedDimensions;
	}

	/** @return the circuit of its first deployment (its only one, for a model without deployments) */
	ModelCircuit circuit() {
		return this.deployments[0].circuit();
	}

	int maxInputTokens() {
		return this.maxInputTokens;
	}

	int index() {
		return this.index;
	}

	/**
	 * What of a request's needs this model lacks.
	 * @param needs the request's {@link Needs} bits
	 * @return the bits it lacks, 0 when it can serve the request
	 */
	int lacks(int needs) {
		return needs & ~this.capabilities;
	}

	Duration timeout(Duration policyTimeout) {
		Duration own = this.definition.timeout();
		return (own != null) ? own : policyTimeout;
	}

	/** Whether this model's window is known to be larger than another's (an unknown window may be). */
	boolean mayHoldMoreThan(ModelRuntime other) {
		return this.maxInputTokens == 0 || other.maxInputTokens == 0 || this.maxInputTokens > other.maxInputTokens;
	}

	@Override
	public String toString() {
		return name();
	}

}
