package dev.llmfallback.engine;

import java.time.Duration;

import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.ChatProvider;

/** A configured model joined with its provider, its circuit and its resolved context window. */
final class ModelRuntime {

	final ModelDefinition definition;

	final ChatProvider provider;

	final ModelCircuit circuit;

	/** The resolved context window; 0 when neither the configuration nor the catalogue knows it. */
	final int maxInputTokens;

	final String name;

	final String providerName;

	ModelRuntime(ModelDefinition definition, ChatProvider provider, ModelCircuit circuit, int maxInputTokens) {
		this.definition = definition;
		this.provider = provider;
		this.circuit = circuit;
		this.maxInputTokens = maxInputTokens;
		this.name = definition.name();
		this.providerName = definition.provider();
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
		return this.name;
	}

}
