package dev.llmfallback.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.ErrorCategory;

/**
 * A named chain of models and the rules for walking it. Immutable and thread-safe; build with
 * {@link #builder(String)}.
 *
 * <p>The rules compose from the outside in: the request's {@code deadline} bounds the whole walk;
 * the walk visits the chain's models in order, each at most once, making at most
 * {@code max-attempts} calls in all; each model is retried per {@link RetrySpec}; each call is bounded
 * by its {@code timeout}. Streams are bounded before their first chunk by {@code first-token-timeout}
 * and after it by {@code idle-timeout} between chunks.
 *
 * <p>Which failures retry the same model and which hop to the next one default to each
 * {@link ErrorCategory}'s own decision; {@link Builder#retryOn} and {@link Builder#fallbackOn} replace
 * those sets. A {@code context_window_exceeded} failure hops to {@code context-window-fallbacks}
 * when any are set, else to the later models of the chain whose window is larger; a
 * {@code content_policy} failure hops only to {@code content-policy-fallbacks}.
 *
 * <p>A model that cannot serve a request (it lacks a capability the request needs, or its provider
 * has no equivalent for one of the request's parameters) is skipped as {@code unsupported}; with
 * {@link Builder#dropUnsupportedParams(boolean) drop-unsupported-params} the parameters are left out
 * of its call instead, and named in the answer's {@code droppedParams}.
 *
 * <p>Over 300 lines on purpose, like Failsafe's builders: the policy, its nested {@link Builder} and
 * the checks that name each property are one value object, and half the file is their javadoc.
 */
public final class FallbackPolicy {

	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

	public static final int DEFAULT_MAX_ATTEMPTS = 6;

	public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(10);

	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

	private final String name;

	private final List<String> models;

	private final List<String> contextWindowFallbacks;

	private final List<String> contentPolicyFallbacks;

	private final RetrySpec retry;

	private final CooldownSpec cooldown;

	private final Duration timeout;

	private final Duration deadline;

	private final int maxAttempts;

	private final boolean maxAttemptsSet;

	private final Duration firstTokenTimeout;

	private final Duration idleTimeout;

	private final Set<ErrorCategory> retryOn;

	private final Set<ErrorCategory> fallbackOn;

	private final boolean dropUnsupportedParams;
	private final Routing routing;

	private final @Nullable HedgeSpec hedge;

	private FallbackPolicy(Builder builder) {
		this.name = Checks.name("policies", builder.name);
		String prefix = "policies." + this.name + ".";
		try {
			this.models = distinct("models", builder.models);
			if (this.models.isEmpty()) {
				throw new FallbackConfigurationException("models", "the chain is empty",
						"List at least one configured model under " + prefix + "models");
			}
			this.contextWindowFallbacks = distinct("context-window-fallbacks", builder.contextWindowFallbacks);
			this.contentPolicyFallbacks = distinct("content-policy-fallbacks", builder.contentPolicyFallbacks);
			this.retry = Objects.requireNonNull(builder.retry, "retry");
			this.cooldown = Objects.requireNonNull(builder.cooldown, "cooldown");
			this.timeout = Checks.positive("timeout", builder.timeout);
			this.deadline = Checks.positive("deadline", builder.deadline);
			Long maxAttempts = builder.maxAttempts;
			this.maxAttemptsSet = maxAttempts != null;
			this.maxAttempts = (maxAttempts != null) ? (int) Checks.atLeast("max-attempts", maxAttempts, 1)
					: Math.max(DEFAULT_MAX_ATTEMPTS, reachableModels().size());
			this.firstTokenTimeout = Checks.positive("first-token-timeout", builder.firstTokenTimeout);
			this.idleTimeout = Checks.positive("idle-timeout", builder.idleTimeout);
			this.retryOn = categories("retry-on", builder.retryOn, true);
			this.fallbackOn = categories("fallback-on", builder.fallbackOn, false);
			this.dropUnsupportedParams = builder.dropUnsupportedParams;
			this.routing = Objects.requireNonNull(builder.routing, "routing");
			this.hedge = builder.hedge;
		}
		catch (FallbackConfigurationException ex) {
			throw ex.under(prefix);
		}
	}

	/** A model listed twice would make the walk loop back: a cycle in the fallback graph. */
	private static List<String> distinct(String property, List<String> names) {
		List<String> seen = new ArrayList<>(names.size());
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			if (name == null || name.isBlank()) {
				throw new FallbackConfigurationException(property + "[" + i + "]", "is empty",
						"Name a configured model");
			}
			if (seen.contains(name)) {
				List<String> path = new ArrayList<>(seen.subList(seen.indexOf(name), seen.size()));
				path.add(name);
				throw new FallbackConfigurationException(property + "[" + i + "]",
						"model '" + name + "' is listed twice, which makes a cycle (" + String.join(" -> ", path) + ")",
						"List each model once; a request visits each model at most once");
			}
			seen.add(name);
		}
		return Collections.unmodifiableList(seen);
	}

	private static Set<ErrorCategory> categories(String property, @Nullable Set<ErrorCategory> given, boolean retry) {
		if (given == null) {
			EnumSet<ErrorCategory> defaults = EnumSet.noneOf(ErrorCategory.class);
			for (ErrorCategory category : ErrorCategory.values()) {
				if (retry ? category.retriedByDefault() : category.fallsBackByDefault()) {
					defaults.add(category);
				}
			}
			return Collections.unmodifiableSet(defaults);
		}
		if (given.contains(ErrorCategory.CANCELLED)) {
			throw new FallbackConfigurationException(property, "lists 'cancelled'",
					"Remove it: a cancelled request is never retried nor sent to another model");
		}
		return Collections.unmodifiableSet(given.isEmpty() ? EnumSet.noneOf(ErrorCategory.class) : EnumSet.copyOf(given));
	}

	/**
	 * Starts a policy.
	 * @param name the policy's name, as requests and metrics refer to it
	 * @return the builder
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * A builder holding this policy's values, to derive a changed copy.
	 * @return the builder
	 */
	public Builder toBuilder() {
		return toBuilder(this.name);
	}

	/**
	 * A builder holding this policy's values under another name, to derive a related policy.
	 * @param name the new policy's name
	 * @return the builder
	 */
	public Builder toBuilder(String name) {
		Builder builder = new Builder(name).models(this.models)
			.contextWindowFallbacks(this.contextWindowFallbacks)
			.contentPolicyFallbacks(this.contentPolicyFallbacks)
			.retry(this.retry)
			.cooldown(this.cooldown)
			.timeout(this.timeout)
			.deadline(this.deadline)
			.maxAttempts(this.maxAttemptsSet ? Long.valueOf(this.maxAttempts) : null)
			.firstTokenTimeout(this.firstTokenTimeout)
			.idleTimeout(this.idleTimeout)
			.dropUnsupportedParams(this.dropUnsupportedParams)
			.routing(this.routing)
			.hedge(this.hedge);
		builder.retryOn = this.retryOn;
		builder.fallbackOn = this.fallbackOn;
		return builder;
	}

	public String name() {
		return this.name;
	}

	/** @return the chain, in the order it is walked */
	public List<String> models() {
		return this.models;
	}

	/** @return where a {@code context_window_exceeded} failure hops, when not empty */
	public List<String> contextWindowFallbacks() {
		return this.contextWindowFallbacks;
	}

	/** @return where a {@code content_policy} failure hops (nowhere when empty) */
	public List<String> contentPolicyFallbacks() {
		return this.contentPolicyFallbacks;
	}

	public RetrySpec retry() {
		return this.retry;
	}

	public CooldownSpec cooldown() {
		return this.cooldown;
	}

	/** @return the timeout of one attempt, unless its model sets its own */
	public Duration timeout() {
		return this.timeout;
	}

	/** @return the longest a whole request may take, all hops included (for a stream: until its first chunk) */
	public Duration deadline() {
		return this.deadline;
	}

	/**
	 * The most calls one request makes across the whole chain, retries included: the configured
	 * value, else {@value #DEFAULT_MAX_ATTEMPTS} or the number of {@link #reachableModels() models
	 * the policy can reach}, whichever is larger.
	 * @return the bound on calls per request
	 */
	public int maxAttempts() {
		return this.maxAttempts;
	}

	/** @return whether {@code max-attempts} was set rather than derived from the chain */
	public boolean maxAttemptsSet() {
		return this.maxAttemptsSet;
	}

	/**
	 * Every model a request of this policy can call, in order: the chain, then the context-window
	 * and content-policy fallbacks not already in it.
	 * @return the distinct reachable model names
	 */
	public List<String> reachableModels() {
		LinkedHashSet<String> reachable = new LinkedHashSet<>(this.models);
		reachable.addAll(this.contextWindowFallbacks);
		reachable.addAll(this.contentPolicyFallbacks);
		return List.copyOf(reachable);
	}

	public Duration firstTokenTimeout() {
		return this.firstTokenTimeout;
	}

	public Duration idleTimeout() {
		return this.idleTimeout;
	}

	/** @return the categories after which the same model is retried */
	public Set<ErrorCategory> retryOn() {
		return this.retryOn;
	}

	/** @return how one of a model's deployments is picked for each attempt */
	public Routing routing() {
		return this.routing;
	}

	/** @return when a second call is started while the first has not answered, or {@code null} for never */
	public @Nullable HedgeSpec hedge() {
		return this.hedge;
	}

	/** @return the categories after which the walk hops to another model */
	public Set<ErrorCategory> fallbackOn() {
		return this.fallbackOn;
	}

	/**
	 * Whether a request's parameters that a model's provider has no equivalent for are left out of
	 * the call (and named in the answer's {@code droppedParams}) rather than skipping the model as
	 * {@code unsupported}. Capabilities are never dropped: a model without tools is skipped either way.
	 * @return {@code true} to drop them; {@code false} (the default) to skip the model
	 */
	public boolean dropUnsupportedParams() {
		return this.dropUnsupportedParams;
	}

	/**
	 * Every model this policy may call: the chain and both fallback lists, in that order, once each.
	 * @return the referenced model names
	 */
	public Set<String> referencedModels() {
		Map<String, Boolean> names = new LinkedHashMap<>();
		this.models.forEach((name) -> names.put(name, true));
		this.contextWindowFallbacks.forEach((name) -> names.put(name, true));
		this.contentPolicyFallbacks.forEach((name) -> names.put(name, true));
		return Collections.unmodifiableSet(names.keySet());
	}

	@Override
	public String toString() {
		return "FallbackPolicy[" + this.name + ": " + String.join(" -> ", this.models) + "]";
	}

	/** Builds a {@link FallbackPolicy}. Not thread-safe. */
	public static final class Builder {

		private final String name;

		private final List<String> models = new ArrayList<>();

		private final List<String> contextWindowFallbacks = new ArrayList<>();

		private final List<String> contentPolicyFallbacks = new ArrayList<>();

		private RetrySpec retry = RetrySpec.defaults();

		private CooldownSpec cooldown = CooldownSpec.defaults();

		private Duration timeout = DEFAULT_TIMEOUT;

		private Duration deadline = DEFAULT_DEADLINE;

		private @Nullable Long maxAttempts;

		private Duration firstTokenTimeout = DEFAULT_FIRST_TOKEN_TIMEOUT;

		private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

		private @Nullable Set<ErrorCategory> retryOn;

		private @Nullable Set<ErrorCategory> fallbackOn;

		private boolean dropUnsupportedParams;
		private Routing routing = Routing.WEIGHTED;

		private @Nullable HedgeSpec hedge;

		private Builder(String name) {
			this.name = name;
		}

		public Builder models(String... models) {
			return models(List.of(models));
		}

		public Builder models(Collection<String> models) {
			this.models.clear();
			this.models.addAll(models);
			return this;
		}

		public Builder contextWindowFallbacks(String... models) {
			return contextWindowFallbacks(List.of(models));
		}

		public Builder contextWindowFallbacks(Collection<String> models) {
			this.contextWindowFallbacks.clear();
			this.contextWindowFallbacks.addAll(models);
			return this;
		}

		public Builder contentPolicyFallbacks(String... models) {
			return contentPolicyFallbacks(List.of(models));
		}

		public Builder contentPolicyFallbacks(Collection<String> models) {
			this.contentPolicyFallbacks.clear();
			this.contentPolicyFallbacks.addAll(models);
			return this;
		}

		public Builder retry(RetrySpec retry) {
			this.retry = retry;
			return this;
		}

		public Builder cooldown(CooldownSpec cooldown) {
			this.cooldown = cooldown;
			return this;
		}

		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		public Builder deadline(Duration deadline) {
			this.deadline = deadline;
			return this;
		}

		/**
		 * Bounds the calls of one request across the chain.
		 * @param maxAttempts the bound, or {@code null} for the default (the larger of
		 * {@value FallbackPolicy#DEFAULT_MAX_ATTEMPTS} and the number of reachable models)
		 * @return this builder
		 */
		public Builder maxAttempts(@Nullable Long maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		public Builder maxAttempts(long maxAttempts) {
			return maxAttempts(Long.valueOf(maxAttempts));
		}

		public Builder firstTokenTimeout(Duration firstTokenTimeout) {
			this.firstTokenTimeout = firstTokenTimeout;
			return this;
		}

		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
			return this;
		}

		/**
		 * Replaces the categories after which the same model is retried.
		 * @param categories the categories; {@code null} restores each category's default
		 * @return this builder
		 */
		public Builder retryOn(@Nullable Collection<ErrorCategory> categories) {
			this.retryOn = (categories != null) ? toSet(categories) : null;
			return this;
		}

		public Builder retryOn(ErrorCategory... categories) {
			return retryOn(List.of(categories));
		}

		/**
		 * Replaces the categories after which the walk hops to another model.
		 * @param categories the categories; {@code null} restores each category's default
		 * @return this builder
		 */
		public Builder fallbackOn(@Nullable Collection<ErrorCategory> categories) {
			this.fallbackOn = (categories != null) ? toSet(categories) : null;
			return this;
		}

		public Builder fallbackOn(ErrorCategory... categories) {
			return fallbackOn(List.of(categories));
		}

		/**
		 * Whether parameters a model's provider has no equivalent for are left out of its call and
		 * named in the answer's {@code droppedParams}, rather than skipping the model as
		 * {@code unsupported}.
		 * @param dropUnsupportedParams {@code true} to drop them; {@code false} (the default) to skip
		 * @return this builder
		 */
		public Builder dropUnsupportedParams(boolean dropUnsupportedParams) {
			this.dropUnsupportedParams = dropUnsupportedParams;
			return this;
		}

		private static Set<ErrorCategory> toSet(Collection<ErrorCategory> categories) {
			EnumSet<ErrorCategory> set = EnumSet.noneOf(ErrorCategory.class);
			set.addAll(categories);
			return set;
		}

		/**
		 * Sets how one of a model's deployments is picked for each attempt.
		 * @param routing the routing, {@code null} for the default ({@code weighted})
		 * @return this builder
		 */
		public Builder routing(@Nullable Routing routing) {
			this.routing = (routing != null) ? routing : Routing.WEIGHTED;
			return this;
		}

		/**
		 * Sets when a second call is started while the first has not answered.
		 * @param hedge the hedge settings, or {@code null} for no hedging
		 * @return this builder
		 */
		public Builder hedge(@Nullable HedgeSpec hedge) {
			this.hedge = hedge;
			return this;
		}

		public FallbackPolicy build() {
			return new FallbackPolicy(this);
		}

	}

}
