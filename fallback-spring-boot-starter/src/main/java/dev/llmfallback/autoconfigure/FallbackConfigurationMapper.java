package dev.llmfallback.autoconfigure;

import java.net.URI;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Cooldown;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Policy;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Provider;
import dev.llmfallback.autoconfigure.LlmFallbackProperties.Retry;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderSettings;

/**
 * Turns {@link LlmFallbackProperties} into the engine's policy objects, checking what the engine
 * cannot: provider types, base URLs, API keys, category names and patterns. Every problem is a
 * {@link FallbackConfigurationException} naming the property (relative to {@code llm.fallback}).
 */
final class FallbackConfigurationMapper {

	/** Types whose servers refuse calls without a key. */
	private static final Set<String> KEYED_TYPES = Set.of("openai", "azure-openai", "anthropic", "gemini", "cohere");

	private final LlmFallbackProperties properties;

	FallbackConfigurationMapper(LlmFallbackProperties properties) {
		this.properties = properties;
	}

	ProviderSettings providerSettings(String name, Provider provider) {
		String prefix = "providers." + name + ".";
		if (provider.getType() == null) {
			throw new FallbackConfigurationException(prefix + "type", "is not set",
					"Set it to one of: " + String.join(", ", ChatProviders.TYPES));
		}
		String type = provider.getType().id();
		String baseUrl = blankToNull(provider.getBaseUrl());
		if (baseUrl == null && type.equals("azure-openai")) {
			throw new FallbackConfigurationException(prefix + "base-url", "is not set, and azure-openai has no default",
					"Set it to your resource's endpoint, e.g. https://<resource>.openai.azure.com (AZURE_API_BASE)");
		}
		if (baseUrl != null && !isHttpUrl(baseUrl)) {
			throw new FallbackConfigurationException(prefix + "base-url", "'" + baseUrl + "' is not an http or https URL",
					"Set it to the provider's base URL, e.g. https://api.openai.com/v1");
		}
		if (provider.getMaxResponseSize() == null || provider.getMaxResponseSize().toBytes() <= 0
				|| provider.getMaxResponseSize().toBytes() > Integer.MAX_VALUE) {
			throw new FallbackConfigurationException(prefix + "max-response-size",
					"must be between 1B and 2GB, was " + provider.getMaxResponseSize(), "Set it to a size such as 8MB");
		}
		try {
			return ProviderSettings.builder(name, type)
				.baseUrl(baseUrl)
				.apiKey(blankToNull(provider.getApiKey()))
				.apiVersion(blankToNull(provider.getApiVersion()))
				.headers(provider.getHeaders())
				.connectTimeout(provider.getConnectTimeout())
				.maxResponseBytes((int) provider.getMaxResponseSize().toBytes())
				.maxConnections(provider.getMaxConnections())
				.build();
		}
		catch (IllegalArgumentException ex) {
			throw new FallbackConfigurationException("providers." + name, ex.getMessage(),
					"Correct the provider's settings");
		}
	}

	/**
	 * A provider that a policy reaches must be able to authenticate.
	 * @param name the provider's name
	 * @param settings its settings
	 * @param usedBy the policy that reaches it, for the message
	 */
	void checkApiKey(String name, ProviderSettings settings, String usedBy) {
		if (!KEYED_TYPES.contains(settings.type()) || settings.apiKey() != null) {
			return;
		}
		if (settings.type().equals("openai") && settings.baseUrl() != null && isLoopback(settings.baseUrl())) {
			return; // local OpenAI-compatible servers (vLLM, LM Studio, Ollama) take no key
		}
		throw new FallbackConfigurationException("providers." + name + ".api-key",
				"is empty, but provider '" + name + "' (type " + settings.type() + ") serves models of policy '"
						+ usedBy + "'",
				"Set llm.fallback.providers." + name + ".api-key (for example from an environment variable: "
						+ "api-key: ${" + name.toUpperCase(Locale.ROOT).replace('-', '_')
						+ "_API_KEY}), or take its models out of the policy");
	}

	ModelDefinition model(String name, LlmFallbackProperties.Model model) {
		if (blankToNull(model.getProvider()) == null) {
			throw new FallbackConfigurationException("models." + name + ".provider", "is not set",
					"Name the provider that serves it, one of: " + known(this.properties.getProviders().keySet()));
		}
		return ModelDefinition.builder(name)
			.provider(model.getProvider())
			.model(blankToNull(model.getModel()))
			.maxInputTokens(model.getMaxInputTokens())
			.timeout(model.getTimeout())
			.build();
	}

	FallbackPolicy policy(String name, Policy policy) {
		String prefix = "policies." + name + ".";
		Retry retry = policy.getRetry();
		Cooldown cooldown = policy.getCooldown();
		try {
			return FallbackPolicy.builder(name)
				.models(policy.getModels())
				.contextWindowFallbacks(policy.getContextWindowFallbacks())
				.contentPolicyFallbacks(policy.getContentPolicyFallbacks())
				.retry(RetrySpec.builder()
					.maxRetries(retry.getMaxRetries())
					.initialBackoff(retry.getInitialBackoff())
					.multiplier(retry.getMultiplier())
					.maxBackoff(retry.getMaxBackoff())
					.jitter(retry.getJitter())
					.maxRetryAfter(retry.getMaxRetryAfter())
					.build())
				.cooldown(CooldownSpec.builder()
					.failures(cooldown.getFailures())
					.window(cooldown.getWindow())
					.duration(cooldown.getDuration())
					.maxDuration(cooldown.getMaxDuration())
					.build())
				.timeout(policy.getTimeout())
				.deadline(policy.getDeadline())
				.maxAttempts(policy.getMaxAttempts())
				.firstTokenTimeout(policy.getFirstTokenTimeout())
				.idleTimeout(policy.getIdleTimeout())
				.retryOn(policy.getRetryOn())
				.fallbackOn(policy.getFallbackOn())
				.build();
		}
		catch (FallbackConfigurationException ex) {
			// The spec builders report their own path (retry.x, cooldown.x); the policy builder the full one.
			throw ex.property().startsWith("policies.") ? ex : ex.under(prefix);
		}
	}

	ClassificationRules classificationRules() {
		Map<ErrorCategory, List<String>> patterns = new EnumMap<>(ErrorCategory.class);
		this.properties.getClassification().forEach((category, regexes) -> {
			String id = category.id();
			for (int i = 0; i < regexes.size(); i++) {
				try {
					Pattern.compile(regexes.get(i));
				}
				catch (PatternSyntaxException ex) {
					throw new FallbackConfigurationException("classification." + id + "[" + i + "]",
							"'" + regexes.get(i) + "' is not a valid regular expression: " + ex.getDescription(),
							"Correct the pattern (Java regular expression syntax)");
				}
			}
			patterns.put(category, regexes);
		});
		return ClassificationRules.of(patterns);
	}

	/** Which policy first reaches each provider, for the API key check. */
	Map<String, String> providersInUse(Map<String, ModelDefinition> models, List<FallbackPolicy> policies) {
		Map<String, String> inUse = new java.util.LinkedHashMap<>();
		for (FallbackPolicy policy : policies) {
			Set<String> names = new LinkedHashSet<>(policy.referencedModels());
			for (String model : names) {
				ModelDefinition definition = models.get(model);
				if (definition != null) {
					inUse.putIfAbsent(definition.provider(), policy.name());
				}
			}
		}
		return inUse;
	}

	private static boolean isHttpUrl(String url) {
		try {
			URI uri = URI.create(url);
			return uri.getHost() != null
					&& ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static boolean isLoopback(String url) {
		String host = URI.create(url).getHost().toLowerCase(Locale.ROOT);
		return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	private static String known(Set<String> names) {
		return names.isEmpty() ? "(none configured)" : String.join(", ", names);
	}

}
