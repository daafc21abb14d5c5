package dev.llmfallback.policy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A model a policy can call: its configured name, the provider that serves it, the id sent to that
 * provider, its context window and its own attempt timeout. Immutable; build with
 * {@link #builder(String)}.
 */
public final class ModelDefinition {

	private final String name;

	private final String provider;

	private final String model;

	private final Integer maxInputTokens;

	private final Duration timeout;

	private final Set<Capability> capabilities;

	private ModelDefinition(Builder builder) {
		String property = "models." + builder.name + ".";
		this.name = Checks.name("models", builder.name);
		this.provider = Checks.name(property + "provider", builder.provider);
		this.model = (builder.model != null && !builder.model.isBlank()) ? builder.model : builder.name;
		if (builder.maxInputTokens != null) {
			Checks.atLeast(property + "max-input-tokens", builder.maxInputTokens, 1);
		}
		this.maxInputTokens = builder.maxInputTokens;
		this.timeout = (builder.timeout != null) ? Checks.positive(property + "timeout", builder.timeout) : null;
		this.capabilities = (builder.capabilities != null)
				? Set.copyOf(builder.capabilities.isEmpty() ? EnumSet.noneOf(Capability.class)
						: EnumSet.copyOf(builder.capabilities))
				: null;
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
	 * The context window set for this model, or {@code null} to take it from the built-in
	 * {@link ModelCatalog catalogue}.
	 * @return the most input tokens, or {@code null}
	 */
	public Integer maxInputTokens() {
		return this.maxInputTokens;
	}

	/** @return this model's attempt timeout, or {@code null} to use the policy's */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * The capabilities set for this model, or {@code null} to take them from the built-in
	 * {@link ModelCatalog catalogue}.
	 * @return what the model can serve beyond text chat, or {@code null}
	 */
	public Set<Capability> capabilities() {
		return this.capabilities;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof ModelDefinition that) && this.name.equals(that.name)
				&& this.provider.equals(that.provider) && this.model.equals(that.model)
				&& Objects.equals(this.maxInputTokens, that.maxInputTokens) && Objects.equals(this.timeout, that.timeout)
				&& Objects.equals(this.capabilities, that.capabilities);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.name, this.provider, this.model, this.maxInputTokens, this.timeout);
	}

	@Override
	public String toString() {
		return "ModelDefinition[" + this.name + " -> " + this.provider + ":" + this.model + "]";
	}

	/** Builds a {@link ModelDefinition}. Not thread-safe. */
	public static final class Builder {

		private final String name;

		private String provider;

		private String model;

		private Integer maxInputTokens;

		private Duration timeout;

		private Set<Capability> capabilities;

		private Builder(String name) {
			this.name = name;
		}

		public Builder provider(String provider) {
			this.provider = provider;
			return this;
		}

		public Builder model(String model) {
			this.model = model;
			return this;
		}

		public Builder maxInputTokens(Integer maxInputTokens) {
			this.maxInputTokens = maxInputTokens;
			return this;
		}

		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Sets what the model can serve, replacing the catalogue's answer.
		 * @param capabilities the capabilities, or {@code null} for the catalogue's
		 * @return this builder
		 */
		public Builder capabilities(Set<Capability> capabilities) {
			this.capabilities = capabilities;
			return this;
		}

		public ModelDefinition build() {
			return new ModelDefinition(this);
		}

	}

}
