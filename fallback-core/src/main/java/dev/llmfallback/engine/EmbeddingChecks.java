package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.ModelCatalog;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.provider.EmbeddingProvider;

/**
 * The start-up checks that keep two models' vectors out of one index: an embedding model needs a
 * provider with embeddings and a known vector length; a policy holds models of one type; an
 * embedding policy's models all give vectors of one length. Each failure names the property.
 */
final class EmbeddingChecks {

	private EmbeddingChecks() {
	}

	/** Resolves an embedding model's vector length, and checks that its provider can serve it. */
	static void resolveDimensions(ModelRuntime model, ModelCatalog catalog) {
		String property = "models." + model.name() + ".";
		EmbeddingProvider provider = model.embeddingProvider();
		if (provider == null) {
			throw new FallbackConfigurationException(property + "provider",
					"names provider '" + model.providerName() + "' of type " + model.provider().type()
							+ ", which has no embeddings, for a model of type embedding",
					"Serve it with a provider of type openai, azure-openai, gemini, cohere or ollama, or set "
							+ property + "type to chat");
		}
		String catalogId = model.definition().catalogId();
		int own = catalog.dimensions(catalogId).orElse(ModelCatalog.builtIn().dimensions(catalogId).orElse(0));
		Integer configured = model.definition().dimensions();
		if (configured == null || configured == own || own == 0) {
			// For a model the catalogue does not know, the configured value is its own length: not sent.
			model.dimensions((configured != null) ? configured : own, null);
			return;
		}
		if (configured > own) {
			throw new FallbackConfigurationException(property + "dimensions",
					"is " + configured + " but model '" + model.providerModelId() + "' gives vectors of " + own,
					"Set it to " + own + " or less, or remove it");
		}
		if (!provider.reducesDimensions()) {
			throw new FallbackConfigurationException(property + "dimensions",
					"is " + configured + " but provider '" + model.providerName() + "' cannot shorten the " + own
							+ "-number vectors of model '" + model.providerModelId() + "'",
					"Remove it, or serve the model with a provider that takes a dimensions parameter");
		}
		model.dimensions(configured, configured);
	}

	/**
	 * A policy's models are all of one type; an embedding policy's give one vector length, known
	 * whenever the policy can fall back at all.
	 */
	static void checkPolicy(CompiledPolicy policy) {
		String prefix = "policies." + policy.name() + ".";
		ModelType type = policy.type();
		Set<ModelRuntime> reachable = new LinkedHashSet<>();
		List<String> properties = new ArrayList<>();
		collect(policy.chain(), prefix + "models", reachable, properties);
		collect(policy.contextWindowFallbacks(), prefix + "context-window-fallbacks", reachable, properties);
		collect(policy.contentPolicyFallbacks(), prefix + "content-policy-fallbacks", reachable, properties);
		List<ModelRuntime> models = new ArrayList<>(reachable);
		for (int i = 0; i < models.size(); i++) {
			ModelRuntime model = models.get(i);
			if (model.type() != type) {
				throw new FallbackConfigurationException(properties.get(i),
						"names " + model.type() + " model '" + model.name() + "' in a policy of " + type + " models",
						"A chat answer and a vector cannot stand in for each other: keep chat and embedding models "
								+ "in separate policies");
			}
		}
		if (type != ModelType.EMBEDDING || models.size() < 2) {
			return;
		}
		ModelRuntime first = models.get(0);
		for (int i = 0; i < models.size(); i++) {
			ModelRuntime model = models.get(i);
			if (model.dimensions() == 0) {
				throw new FallbackConfigurationException("models." + model.name() + ".dimensions",
						"is not set, and the catalogue does not know the vector length of '" + model.providerModelId()
								+ "', which policy '" + policy.name() + "' may fall back to or from",
						"Set it to the length of the model's vectors, so that the policy can be checked never to "
								+ "mix vectors of different lengths");
			}
			if (model.dimensions() != first.dimensions()) {
				throw new FallbackConfigurationException(properties.get(i),
						"names model '" + model.name() + "', whose vectors have " + model.dimensions()
								+ " numbers, after model '" + first.name() + "', whose vectors have " + first.dimensions(),
						"Vectors of two models must never be mixed in one index: chain models of one length, or set "
								+ "each model's dimensions to the same value where its provider can shorten vectors");
			}
		}
	}

	private static void collect(List<ModelRuntime> models, String property, Set<ModelRuntime> reachable,
			List<String> properties) {
		for (int i = 0; i < models.size(); i++) {
			if (reachable.add(models.get(i))) {
				properties.add(property + "[" + i + "]");
			}
		}
	}

	/** The policy {@code EmbeddingService} uses by default: the one named, or the only one; else none. */
	static @Nullable String defaultEmbeddingPolicy(@Nullable String named, Map<String, CompiledPolicy> policies) {
		List<String> embedding = new ArrayList<>();
		policies.forEach((name, policy) -> {
			if (policy.type() == ModelType.EMBEDDING) {
				embedding.add(name);
			}
		});
		if (named == null) {
			return (embedding.size() == 1) ? embedding.get(0) : null;
		}
		if (!embedding.contains(named)) {
			throw new FallbackConfigurationException("default-embedding-policy",
					policies.containsKey(named) ? "names policy '" + named + "', which is a chat policy"
							: "names policy '" + named + "', which is not configured",
					"Set it to one of: " + (embedding.isEmpty() ? "(no embedding policy configured)"
							: String.join(", ", embedding)));
		}
		return named;
	}

	/** The failure of asking for the default embedding service when there is no single one. */
	static FallbackConfigurationException noDefaultEmbeddingPolicy(Map<String, CompiledPolicy> policies) {
		List<String> embedding = new ArrayList<>();
		policies.forEach((name, policy) -> {
			if (policy.type() == ModelType.EMBEDDING) {
				embedding.add(name);
			}
		});
		return embedding.isEmpty()
				? new FallbackConfigurationException("policies", "has no embedding policy",
						"Add a policy whose models are of type embedding")
				: new FallbackConfigurationException("default-embedding-policy",
						"is not set and there are " + embedding.size() + " embedding policies",
						"Set llm.fallback.default-embedding-policy to one of: " + String.join(", ", embedding));
	}

}
