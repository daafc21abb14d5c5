package dev.llmfallback.autoconfigure;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.web.reactive.function.client.WebClient;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Cooldown;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Deployment;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Hedge;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Model;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Policy;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Provider;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Retry;
import dev.llmfallback.policy.Capability;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.DeploymentDefinition;
import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.HedgeSpec;
import dev.llmfallback.policy.ModelCatalog;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.policy.Suggestions;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.state.SharedState;

/**
 * Turns {@link LlmFallbackProperties} into the core's objects: {@link ProviderSettings} and
 * adapters, {@link ModelDefinition}s completed from the {@link ModelCatalog}, {@link FallbackPolicy}s
 * with their {@link RetrySpec} and {@link CooldownSpec}, and {@link ClassificationRules}. Values
 * left out keep the core's defaults; the core checks every value and reports a
 * {@link FallbackConfigurationException}, which this class only places under the property it came
 * from. What only configuration has (a provider type that names no adapter, a provider that a
 * policy reaches without an API key) is checked here.
 *
 * <p>Over 300 lines: the one mapper from the bound properties to core's definitions (providers, models
 * with deployments, policies with retry, cooldown and hedging), so values flow one way.
 */
final class FallbackConfigurationMapper {

	private static final Log logger = LogFactory.getLog(FallbackAutoConfiguration.class);

	private static final PropertyMapper map = PropertyMapper.get();

	private final LlmFallbackProperties properties;

	private final ModelCatalog catalog;

	FallbackConfigurationMapper(LlmFallbackProperties properties) {
		this(properties, ModelCatalog.builtIn());
	}

	FallbackConfigurationMapper(LlmFallbackProperties properties, ModelCatalog catalog) {
		this.properties = properties;
		this.catalog = catalog;
	}

	ProviderSettings providerSettings(String name, Provider provider) {
		String property = "providers." + name;
		String type = type(name, provider.type());
		ProviderSettings.Builder builder = ProviderSettings.builder(name, type);
		map.from(provider.baseUrl()).whenHasText().as(String::trim).to(builder::baseUrl);
		map.from(provider.apiKey()).whenHasText().as(String::trim).to(builder::apiKey);
		map.from(provider.apiVersion()).whenHasText().as(String::trim).to(builder::apiVersion);
		builder.headers(provider.headers());
		map.from(provider.connectTimeout()).to(builder::connectTimeout);
		map.from(provider.maxResponseSize()).as((size) -> bytes(property + ".max-response-size", size.toBytes()))
			.to(builder::maxResponseBytes);
		map.from(provider.maxConnections()).to(builder::maxConnections);
		return refusedAt(property, "Correct the provider's settings", builder::build);
	}

	ChatProvider provider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder, ClassificationRules rules) {
		return refusedAt("providers." + settings.name(), "Correct the provider's settings",
				() -> ChatProviders.create(settings, webClientBuilder, rules));
	}

	/**
	 * Refuses {@code state.store: redis} without a shared state to use, so that replicas never run
	 * apart believing they share their cooldowns.
	 * @param sharedState the shared state the Redis auto-configuration made, if any
	 */
	void checkStateStore(@Nullable SharedState sharedState) {
		LlmFallbackProperties.State state = this.properties.state();
		if (state.store() == LlmFallbackProperties.State.StateStoreType.REDIS && sharedState == null) {
			throw new FallbackConfigurationException("state.store",
					"is redis, but the application has no reactive Redis connection",
					"Add org.springframework.boot:spring-boot-starter-data-redis-reactive to the application's "
							+ "dependencies and point spring.data.redis.* at the server (or set it to local)");
		}
		if (state.trialLease().isNegative() || state.trialLease().isZero()) {
			throw new FallbackConfigurationException("state.trial-lease", "must be positive, was " + state.trialLease(),
					"Set it to the longest a trial request may take, e.g. 30s");
		}
		if (state.timeout().isNegative() || state.timeout().isZero()) {
			throw new FallbackConfigurationException("state.timeout", "must be positive, was " + state.timeout(),
					"Set it a little above Redis's usual round trip, e.g. 500ms");
		}
	}

	private static String type(String provider, @Nullable String type) {
		String property = "providers." + provider + ".type";
		String types = String.join(", ", ChatProviders.TYPES);
		if (type == null || type.isBlank()) {
			throw new FallbackConfigurationException(property, "is not set", "Set it to one of: " + types);
		}
		String id = type.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		if ("spring-ai".equals(id)) {
			// Reached only without Spring AI: with it, SpringAiProviderRegistrar supplies the provider.
			throw new FallbackConfigurationException(property, "is spring-ai, but Spring AI is not on the classpath",
					"Add a Spring AI model dependency (e.g. org.springframework.ai:spring-ai-openai) that defines the "
							+ "ChatModel bean named by llm.fallback.providers." + provider + ".bean");
		}
		if (!ChatProviders.TYPES.contains(id)) {
			String nearest = Suggestions.nearest(id, ChatProviders.TYPES).map((t) -> "Did you mean '" + t + "'? ").orElse("");
			throw new FallbackConfigurationException(property, "'" + type + "' is not a provider type",
					nearest + "Set it to one of: " + types
							+ " (openai serves any OpenAI-compatible server, e.g. Groq, Mistral, vLLM)");
		}
		return id;
	}

	private static int bytes(String property, long bytes) {
		if (bytes > Integer.MAX_VALUE) {
			throw new FallbackConfigurationException(property, "must be at most 2GB, was " + bytes + "B",
					"Set it to a size such as 8MB");
		}
		return (int) bytes;
	}

	/**
	 * A provider that a policy reaches must be able to authenticate, unless it is a server on this
	 * machine or a private network.
	 * @param settings the provider's settings
	 * @param usedBy the policy that reaches it, for the message
	 */
	void checkApiKey(ProviderSettings settings, String usedBy) {
		if (settings.apiKey() != null || ProviderAddresses.isLocal(settings.type(), settings.baseUrl())) {
			return;
		}
		String name = settings.name();
		throw new FallbackConfigurationException("providers." + name + ".api-key",
				"is empty, but provider '" + name + "' (type " + settings.type() + ") serves models of policy '"
						+ usedBy + "' at " + ((settings.baseUrl() != null) ? "a public address" : "its default base URL"),
				"Set llm.fallback.providers." + name + ".api-key (for example from an environment variable: "
						+ "api-key: ${" + name.toUpperCase(Locale.ROOT).replace('-', '_')
						+ "_API_KEY}), or take its models out of the policy. Only a loopback or private base-url "
						+ "(a local Ollama or vLLM) may go without a key");
	}

	/**
	 * The model as the engine needs it: window and capabilities from the catalogue unless set, and a
	 * warning when the catalogue does not know a model of a configured provider and no window is set
	 * (a provider bean of the application serves ids of its own).
	 */
	ModelDefinition model(String name, Model model, ConfiguredProviders providers) {
		ModelDefinition.Builder builder = ModelDefinition.builder(name);
		map.from(model.provider()).to(builder::provider);
		map.from(model.model()).to(builder::model);
		map.from(model.baseModel()).to(builder::baseModel);
		map.from(model.maxInputTokens()).to(builder::maxInputTokens);
		map.from(model.timeout()).to(builder::timeout);
		map.from(model.type()).to(builder::type);
		map.from(model.dimensions()).to(builder::dimensions);
		map.from(model.capabilities())
			.as((capabilities) -> capabilities.isEmpty() ? EnumSet.noneOf(Capability.class)
					: EnumSet.copyOf(capabilities))
			.to(builder::capabilities);
		String id = (model.model() != null && !model.model().isBlank()) ? model.model().trim() : name;
		for (int i = 0; i < model.deployments().size(); i++) {
			Deployment deployment = model.deployments().get(i);
			builder.deployment(DeploymentDefinition.of("models." + name + ".deployments[" + i + "]",
					deployment.provider(), deployment.model(), id, deployment.weight(), deployment.rpm(),
					deployment.tpm()));
		}
		ModelDefinition definition = this.catalog.complete(builder.build());
		if (definition.maxInputTokens() == null && providers.settings().containsKey(definition.provider())) {
			warnUnknown(definition);
		}
		return definition;
	}

	private void warnUnknown(ModelDefinition model) {
		String property = "llm.fallback.models." + model.name();
		String nearest = this.catalog.nearest(model.model()).orElse("gpt-4o");
		logger.warn("Model '" + model.name() + "': the built-in catalogue does not know the model id '" + model.model()
				+ "', so prompts are not checked against a context window. Set " + property
				+ ".max-input-tokens, or, if it is a deployment of a known model (an Azure deployment name), "
				+ property + ".base-model (e.g. base-model: " + nearest + ")");
	}

	FallbackPolicy policy(String name, Policy policy) {
		String prefix = "policies." + name + ".";
		FallbackPolicy.Builder builder = FallbackPolicy.builder(name)
			.models(policy.models())
			.contextWindowFallbacks(policy.contextWindowFallbacks())
			.contentPolicyFallbacks(policy.contentPolicyFallbacks());
		return placedUnder(prefix, () -> {
			map.from(policy.retry()).as(FallbackConfigurationMapper::retry).to(builder::retry);
			map.from(policy.cooldown()).as(FallbackConfigurationMapper::cooldown).to(builder::cooldown);
			map.from(policy.timeout()).to(builder::timeout);
			map.from(policy.deadline()).to(builder::deadline);
			// Unset: the core derives it (the larger of 6 and the models the policy can reach).
			builder.maxAttempts((policy.maxAttempts() != null) ? Long.valueOf(policy.maxAttempts()) : null);
			map.from(policy.firstTokenTimeout()).to(builder::firstTokenTimeout);
			map.from(policy.idleTimeout()).to(builder::idleTimeout);
			builder.retryOn(policy.retryOn());
			builder.fallbackOn(policy.fallbackOn());
			builder.dropUnsupportedParams(policy.dropUnsupportedParams());
			builder.routing(policy.routing());
			map.from(policy.hedge()).as(FallbackConfigurationMapper::hedge).to(builder::hedge);
			return builder.build();
		});
	}

	private static HedgeSpec hedge(Hedge hedge) {
		double maxRate = (hedge.maxRate() != null) ? rate(hedge.maxRate()) : HedgeSpec.DEFAULT_MAX_RATE;
		Duration minAfter = (hedge.minAfter() != null) ? hedge.minAfter() : HedgeSpec.DEFAULT_MIN_AFTER;
		return new HedgeSpec(hedge.after(), hedge.afterPercentile(), minAfter, maxRate);
	}

	/** {@code 10%} or {@code 0.1}. */
	private static double rate(String text) {
		String trimmed = text.trim();
		boolean percent = trimmed.endsWith("%");
		try {
			double value = Double.parseDouble(percent ? trimmed.substring(0, trimmed.length() - 1).trim() : trimmed);
			return percent ? value / 100 : value;
		}
		catch (NumberFormatException ex) {
			throw new FallbackConfigurationException("hedge.max-rate", "is not a rate: '" + text + "'",
					"Write a percentage such as 10% or a fraction such as 0.1");
		}
	}

	private static RetrySpec retry(Retry retry) {
		RetrySpec.Builder builder = RetrySpec.builder();
		map.from(retry.maxRetries()).to(builder::maxRetries);
		map.from(retry.initialBackoff()).to(builder::initialBackoff);
		map.from(retry.multiplier()).to(builder::multiplier);
		map.from(retry.maxBackoff()).to(builder::maxBackoff);
		map.from(retry.jitter()).to(builder::jitter);
		map.from(retry.maxRetryAfter()).to(builder::maxRetryAfter);
		return builder.build();
	}

	private static CooldownSpec cooldown(Cooldown cooldown) {
		CooldownSpec.Builder builder = CooldownSpec.builder();
		map.from(cooldown.failures()).to(builder::failures);
		map.from(cooldown.window()).to(builder::window);
		map.from(cooldown.duration()).to(builder::duration);
		map.from(cooldown.maxDuration()).to(builder::maxDuration);
		return builder.build();
	}

	/**
	 * The user's message patterns, each compiled by the core on its own so that a pattern it refuses
	 * is reported under its index.
	 */
	ClassificationRules classificationRules() {
		Map<ErrorCategory, List<String>> patterns = new EnumMap<>(ErrorCategory.class);
		this.properties.classification().forEach((category, regexes) -> {
			for (int i = 0; i < regexes.size(); i++) {
				String regex = regexes.get(i);
				refusedAt("classification." + category.id() + "[" + i + "]",
						"Correct the pattern (Java regular expression syntax)",
						() -> ClassificationRules.of(Map.of(category, List.of(regex))));
			}
			patterns.put(category, regexes);
		});
		return ClassificationRules.of(patterns);
	}

	/** Which policy first reaches each provider, for the API key check. */
	Map<String, String> providersInUse(Map<String, ModelDefinition> models, List<FallbackPolicy> policies) {
		Map<String, String> inUse = new LinkedHashMap<>();
		for (FallbackPolicy policy : policies) {
			for (String model : policy.referencedModels()) {
				ModelDefinition definition = models.get(model);
				if (definition != null) {
					inUse.putIfAbsent(definition.provider(), policy.name());
					definition.deployments()
						.forEach((deployment) -> inUse.putIfAbsent(deployment.provider(), policy.name()));
				}
			}
		}
		return inUse;
	}

	/**
	 * Runs a core builder; its {@link FallbackConfigurationException} is reported under the given
	 * enclosing path unless it already names a top-level property (as the policy builder does).
	 */
	private static <T> T placedUnder(String prefix, Supplier<T> build) {
		try {
			return build.get();
		}
		catch (FallbackConfigurationException ex) {
			throw ex.property().startsWith(prefix.substring(0, prefix.indexOf('.') + 1)) ? ex : ex.under(prefix);
		}
	}

	/**
	 * Runs a core step that may refuse a value with a plain {@link IllegalArgumentException}; its
	 * message is reported under the property the value came from.
	 */
	private static <T> T refusedAt(String property, String action, Supplier<T> build) {
		try {
			return build.get();
		}
		catch (FallbackConfigurationException ex) {
			// The core's own path is kept where it is at least as precise as ours.
			throw ex.property().startsWith(property) ? ex
					: new FallbackConfigurationException(property, ex.problem(), ex.action());
		}
		catch (IllegalArgumentException ex) {
			// problem() is never null: an exception without a message is named by its type.
			String message = ex.getMessage();
			throw new FallbackConfigurationException(property, (message != null) ? message : ex.getClass().getName(),
					action);
		}
	}

}
