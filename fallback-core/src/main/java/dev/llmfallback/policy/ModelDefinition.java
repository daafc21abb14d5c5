package dev.llmfallback.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A model a policy can call: its configured name, the provider that serves it, the id sent to that
 * provider, the catalogue id it is known by ({@code base-model}, for deployment names such as
 * Azure's), its context window, capabilities and its own attempt timeout. Immutable; build with
 * {@link #builder(String)}.
 *
 * <p>Over 300 lines: a value, its checks and its builder, as {@link FallbackPolicy}.
 */
public final class ModelDefinition {

	private final String name;

	private final String provider;

	private final String model;

	private final @Nullable String baseModel;

	private final @Nullable Integer maxInputTokens;

	private final @Nullable Duration timeout;

	private final @Nullable Set<Capability> capabilities;

	private final ModelType type;

	private final @Nullable Integer dimensions;

	private final List<DeploymentDefinition> deployments;

	private ModelDefinition(Builder builder) {
		String property = "models." + builder.name + ".";
		this.name = Checks.name("models", builder.name);
		// A model served by deployments is named by its first one's provider where it names none.
		String provider = (builder.provider == null && !builder.deployments.isEmpty())
				? builder.deployments.get(0).provider() : builder.provider;
		this.provider = Checks.name(property + "provider", provider,
				"Name the provider that serves it (a key under llm.fallback.providers)");
		this.deployments = List.copyOf(builder.deployments);
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < this.deployments.size(); i++) {
			if (!seen.add(this.deployments.get(i).name())) {
				throw new FallbackConfigurationException(property + "deployments[" + i + "]",
						"repeats deployment " + this.deployments.get(i).name(),
						"List each provider and model once; raise its weight to give it more traffic");
			}
		}
		this.model = (builder.model != null && !builder.model.isBlank()) ? builder.model.trim() : this.name;
		this.baseModel = (builder.baseModel != null && !builder.baseModel.isBlank()) ? builder.baseModel.trim() : null;
		if (builder.maxInputTokens != null) {
			Checks.atLeast(property + "max-input-tokens", builder.maxInputTokens, 1);
		}
		this.maxInputTokens = builder.maxInputTokens;
		this.timeout = (builder.timeout != null) ? Checks.positive(property + "timeout", builder.timeout) : null;
		this.capabilities = (builder.capabilities != null)
				? Set.copyOf(builder.capabilities.isEmpty() ? EnumSet.noneOf(Capability.class)
						: EnumSet.copyOf(builder.capabilities))
				: null;
		this.type = (builder.type != null) ? builder.type : ModelType.CHAT;
		if (builder.dimensions != null) {
			if (this.type != ModelType.EMBEDDING) {
				throw new FallbackConfigurationException(property + "dimensions",
						"is set on a model of type " + this.type,
						"Remove it, or set " + property + "type to embedding");
			}
			Checks.atLeast(property + "dimensions", builder.dimensions, 1);
		}
		this.dimensions = builder.dimensions;
	}

	/**
	 * Starts a model definition.
	 * @param name the configured name, used in policies, metrics and attempts
	 * @return the builder
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/** @return the configured name */
	public String name() {
		return this.name;
	}

	/** @return the configured name of the provider that serves this model */
	public String provider() {
		return this.provider;
	}

	/** @return the model id sent to the provider (defaults to the name) */
	public String model() {
		return this.model;
	}

	/**
	 * The catalogue id whose window and capabilities this model shares, when its own id is one the
	 * catalogue cannot know (an Azure deployment name, a fine-tune).
	 * @return the base model's id, or {@code null}
	 */
	public @Nullable String baseModel() {
		return this.baseModel;
	}

	/**
	 * The id under which the {@link ModelCatalog catalogue} knows this model: its
	 * {@link #baseModel()} when set, else the id sent to the provider.
	 * @return the id to look up
	 */
	public String catalogId() {
		return (this.baseModel != null) ? this.baseModel : this.model;
	}

	/**
	 * The context window set for this model, or {@code null} to take it from the built-in
	 * {@link ModelCatalog catalogue}.
	 * @return the most input tokens, or {@code null}
	 */
	public @Nullable Integer maxInputTokens() {
		return this.maxInputTokens;
	}

	/** @return this model's attempt timeout, or {@code null} to use the policy's */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	/**
	 * The capabilities set for this model, or {@code null} to take them from the built-in
	 * {@link ModelCatalog catalogue}.
	 * @return what the model can serve beyond text chat, or {@code null}
	 */
	public @Nullable Set<Capability> capabilities() {
		return this.capabilities;
	}

	/** @return what the model is for: {@code chat} (the default) or {@code embedding} */
	public ModelType type() {
		return this.type;
	}

	/**
	 * The vector length set for an embedding model, or {@code null} to take it from the built-in
	 * {@link ModelCatalog catalogue}. Where it differs from the model's own length, it is sent as
	 * the provider's {@code dimensions} to shorten the vectors.
	 * @return the vector length, or {@code null}
	 */
	public @Nullable Integer dimensions() {
		return this.dimensions;
	}

	/**
	 * The places this model is served, routed across by the calling policy; empty for a model served
	 * only by its {@link #provider()} (one implicit deployment).
	 * @return the deployments, in configuration order
	 */
	public List<DeploymentDefinition> deployments() {
		return this.deployments;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof ModelDefinition that) && this.name.equals(that.name)
				&& this.provider.equals(that.provider) && this.model.equals(that.model)
				&& Objects.equals(this.baseModel, that.baseModel)
				&& Objects.equals(this.maxInputTokens, that.maxInputTokens) && Objects.equals(this.timeout, that.timeout)
				&& Objects.equals(this.capabilities, that.capabilities) && this.type == that.type
				&& Objects.equals(this.dimensions, that.dimensions) && this.deployments.equals(that.deployments);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.name, this.provider, this.model, this.baseModel, this.maxInputTokens, this.timeout,
				this.capabilities, this.type, this.dimensions, this.deployments);
	}

	/**
	 * A builder holding this definition's values, to derive a changed copy.
	 * @return the builder
	 */
	public Builder toBuilder() {
		return new Builder(this.name).provider(this.provider)
			.model(this.model)
			.baseModel(this.baseModel)
			.maxInputTokens(this.maxInputTokens)
			.timeout(this.timeout)
			.capabilities(this.capabilities)
			.type(this.type)
			.dimensions(this.dimensions)
			.deployments(this.deployments);
	}

	@Override
	public String toString() {
		return "ModelDefinition[" + this.name + " -> " + this.provider + ":" + this.model + "]";
	}

	/** Builds a {@link ModelDefinition}. Not thread-safe. */
	public static final class Builder {

		private final String name;

		private @Nullable String provider;

		private @Nullable String model;

		private @Nullable String baseModel;

		private @Nullable Integer maxInputTokens;

		private @Nullable Duration timeout;

		private @Nullable Set<Capability> capabilities;

		private @Nullable ModelType type;

		private @Nullable Integer dimensions;

		private final List<DeploymentDefinition> deployments = new ArrayList<>();

		private Builder(String name) {
			this.name = name;
		}

		public Builder provider(@Nullable String provider) {
			this.provider = provider;
			return this;
		}

		public Builder model(@Nullable String model) {
			this.model = model;
			return this;
		}

		/**
		 * Names the catalogue id whose window and capabilities this model shares, e.g.
		 * {@code gpt-4o} for an Azure deployment named {@code prod-chat}.
		 * @param baseModel a model id the catalogue knows, or {@code null}
		 * @return this builder
		 */
		public Builder baseModel(@Nullable String baseModel) {
			this.baseModel = baseModel;
			return this;
		}

		public Builder maxInputTokens(@Nullable Integer maxInputTokens) {
			this.maxInputTokens = maxInputTokens;
			return this;
		}

		public Builder timeout(@Nullable Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Sets what the model can serve, replacing the catalogue's answer.
		 * @param capabilities the capabilities, or {@code null} for the catalogue's
		 * @return this builder
		 */
		public Builder capabilities(@Nullable Set<Capability> capabilities) {
			this.capabilities = capabilities;
			return this;
		}

		/**
		 * Sets what the model is for.
		 * @param type {@code chat} (the default when {@code null}) or {@code embedding}
		 * @return this builder
		 */
		public Builder type(@Nullable ModelType type) {
			this.type = type;
			return this;
		}

		/**
		 * Sets an embedding model's vector length, replacing the catalogue's.
		 * @param dimensions the length, or {@code null} for the catalogue's
		 * @return this builder
		 */
		public Builder dimensions(@Nullable Integer dimensions) {
			this.dimensions = dimensions;
			return this;
		}

		/**
		 * Lists the places this model is served, replacing any listed before.
		 * @param deployments the deployments (empty for the model's own provider alone)
		 * @return this builder
		 */
		public Builder deployments(List<DeploymentDefinition> deployments) {
			this.deployments.clear();
			this.deployments.addAll(deployments);
			return this;
		}

		/**
		 * Adds a place this model is served.
		 * @param deployment the deployment
		 * @return this builder
		 */
		public Builder deployment(DeploymentDefinition deployment) {
			this.deployments.add(deployment);
			return this;
		}

		public ModelDefinition build() {
			return new ModelDefinition(this);
		}

	}

}
