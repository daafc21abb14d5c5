package dev.llmfallback.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.provider.ProviderSettings;

/**
 * Configuration of the LLM fallback engine: providers, models and fallback policies. Values are
 * checked when the engine is built; a value that cannot work fails start-up with a message naming
 * the property and the fix.
 */
@ConfigurationProperties("llm.fallback")
public class LlmFallbackProperties {

	/**
	 * Whether to auto-configure the fallback engine and its ChatService.
	 */
	private boolean enabled = true;

	/**
	 * Policy used when a request names none. May be left out when only one policy is configured.
	 */
	private String defaultPolicy;

	/**
	 * Providers by name: the accounts and servers that models are called on.
	 */
	private Map<String, Provider> providers = new LinkedHashMap<>();

	/**
	 * Models by name, as policies refer to them.
	 */
	private Map<String, Model> models = new LinkedHashMap<>();

	/**
	 * Fallback policies by name: each an ordered chain of models and the rules for walking it.
	 */
	private Map<String, Policy> policies = new LinkedHashMap<>();

	/**
	 * Extra message patterns (regular expressions, matched case-insensitively) per error category,
	 * for provider error messages that the built-in rules do not classify.
	 */
	private Map<ErrorCategory, List<String>> classification = new LinkedHashMap<>();

	private final Health health = new Health();

	private final Metrics metrics = new Metrics();

	private final Endpoint endpoint = new Endpoint();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getDefaultPolicy() {
		return this.defaultPolicy;
	}

	public void setDefaultPolicy(String defaultPolicy) {
		this.defaultPolicy = defaultPolicy;
	}

	public Map<String, Provider> getProviders() {
		return this.providers;
	}

	public void setProviders(Map<String, Provider> providers) {
		this.providers = providers;
	}

	public Map<String, Model> getModels() {
		return this.models;
	}

	public void setModels(Map<String, Model> models) {
		this.models = models;
	}

	public Map<String, Policy> getPolicies() {
		return this.policies;
	}

	public void setPolicies(Map<String, Policy> policies) {
		this.policies = policies;
	}

	public Map<ErrorCategory, List<String>> getClassification() {
		return this.classification;
	}

	public void setClassification(Map<ErrorCategory, List<String>> classification) {
		this.classification = classification;
	}

	public Health getHealth() {
		return this.health;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	/** One provider: its wire protocol, where it is, and how to authenticate. */
	public static class Provider {

		/**
		 * Wire protocol of the provider: openai (also any OpenAI-compatible server), azure-openai,
		 * anthropic, gemini, cohere or ollama.
		 */
		private ProviderType type;

		/**
		 * Base URL as the provider's official SDK uses it, e.g. https://api.openai.com/v1 or
		 * http://localhost:11434/v1 for Ollama's OpenAI-compatible API. Defaults to the type's
		 * documented base URL; required for azure-openai.
		 */
		private String baseUrl;

		/**
		 * API key, sent only in the provider's authentication header and never logged. Required for
		 * every type but ollama (and openai-compatible servers on localhost) when a policy uses the
		 * provider.
		 */
		private String apiKey;

		/**
		 * API version, for azure-openai.
		 */
		private String apiVersion;

		/**
		 * Extra HTTP headers sent with every request.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Timeout to establish a connection.
		 */
		private Duration connectTimeout = ProviderSettings.DEFAULT_CONNECT_TIMEOUT;

		/**
		 * Largest response body (or streamed line) accepted from the provider.
		 */
		private DataSize maxResponseSize = DataSize.ofBytes(ProviderSettings.DEFAULT_MAX_RESPONSE_BYTES);

		/**
		 * Most connections open to the provider at once.
		 */
		private int maxConnections = ProviderSettings.DEFAULT_MAX_CONNECTIONS;

		public ProviderType getType() {
			return this.type;
		}

		public void setType(ProviderType type) {
			this.type = type;
		}

		public String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public String getApiKey() {
			return this.apiKey;
		}

		public void setApiKey(String apiKey) {
			this.apiKey = apiKey;
		}

		public String getApiVersion() {
			return this.apiVersion;
		}

		public void setApiVersion(String apiVersion) {
			this.apiVersion = apiVersion;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

	}

	/** One model: which provider serves it, under what id, and its limits. */
	public static class Model {

		/**
		 * Name of the provider (a key under llm.fallback.providers) that serves this model.
		 */
		private String provider;

		/**
		 * Model id sent to the provider. Defaults to the model's name.
		 */
		private String model;

		/**
		 * Most input tokens the model accepts; prompts estimated larger skip it. Defaults to the
		 * built-in catalogue's value for known models.
		 */
		private Integer maxInputTokens;

		/**
		 * Timeout of one attempt on this model, overriding the policy's.
		 */
		private Duration timeout;

		public String getProvider() {
			return this.provider;
		}

		public void setProvider(String provider) {
			this.provider = provider;
		}

		public String getModel() {
			return this.model;
		}

		public void setModel(String model) {
			this.model = model;
		}

		public Integer getMaxInputTokens() {
			return this.maxInputTokens;
		}

		public void setMaxInputTokens(Integer maxInputTokens) {
			this.maxInputTokens = maxInputTokens;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/** One fallback policy. */
	public static class Policy {

		/**
		 * The chain: models tried in this order, each at most once per request.
		 */
		private List<String> models = new ArrayList<>();

		/**
		 * Where a context_window_exceeded failure hops. When empty, it hops to the later models of
		 * the chain whose context window is larger.
		 */
		private List<String> contextWindowFallbacks = new ArrayList<>();

		/**
		 * Where a content_policy failure hops. When empty, a content_policy failure ends the request.
		 */
		private List<String> contentPolicyFallbacks = new ArrayList<>();

		private final Retry retry = new Retry();

		/**
		 * Timeout of one attempt (models may override it).
		 */
		private Duration timeout = FallbackPolicy.DEFAULT_TIMEOUT;

		/**
		 * Longest a whole request may take, all retries and hops included (for a stream: until its
		 * first chunk).
		 */
		private Duration deadline = FallbackPolicy.DEFAULT_DEADLINE;

		/**
		 * Most calls one request makes across the whole chain, retries included.
		 */
		private int maxAttempts = FallbackPolicy.DEFAULT_MAX_ATTEMPTS;

		/**
		 * For streams: no first chunk by then counts as a timeout.
		 */
		private Duration firstTokenTimeout = FallbackPolicy.DEFAULT_FIRST_TOKEN_TIMEOUT;

		/**
		 * For streams: longest silence between two chunks.
		 */
		private Duration idleTimeout = FallbackPolicy.DEFAULT_IDLE_TIMEOUT;

		private final Cooldown cooldown = new Cooldown();

		/**
		 * Error categories after which the same model is retried, replacing the defaults (rate_limit,
		 * service_unavailable, server_error, timeout, invalid_response).
		 */
		private List<ErrorCategory> retryOn;

		/**
		 * Error categories after which the walk hops to another model, replacing the defaults (every
		 * category but bad_request and cancelled).
		 */
		private List<ErrorCategory> fallbackOn;

		public List<String> getModels() {
			return this.models;
		}

		public void setModels(List<String> models) {
			this.models = models;
		}

		public List<String> getContextWindowFallbacks() {
			return this.contextWindowFallbacks;
		}

		public void setContextWindowFallbacks(List<String> contextWindowFallbacks) {
			this.contextWindowFallbacks = contextWindowFallbacks;
		}

		public List<String> getContentPolicyFallbacks() {
			return this.contentPolicyFallbacks;
		}

		public void setContentPolicyFallbacks(List<String> contentPolicyFallbacks) {
			this.contentPolicyFallbacks = contentPolicyFallbacks;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getDeadline() {
			return this.deadline;
		}

		public void setDeadline(Duration deadline) {
			this.deadline = deadline;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getFirstTokenTimeout() {
			return this.firstTokenTimeout;
		}

		public void setFirstTokenTimeout(Duration firstTokenTimeout) {
			this.firstTokenTimeout = firstTokenTimeout;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public Cooldown getCooldown() {
			return this.cooldown;
		}

		public List<ErrorCategory> getRetryOn() {
			return this.retryOn;
		}

		public void setRetryOn(List<ErrorCategory> retryOn) {
			this.retryOn = retryOn;
		}

		public List<ErrorCategory> getFallbackOn() {
			return this.fallbackOn;
		}

		public void setFallbackOn(List<ErrorCategory> fallbackOn) {
			this.fallbackOn = fallbackOn;
		}

	}

	/** How one model is retried within a request. */
	public static class Retry {

		/**
		 * Retries of one model per request (calls are at most 1 + max-retries).
		 */
		private int maxRetries = RetrySpec.DEFAULT_MAX_RETRIES;

		/**
		 * Wait before the first retry.
		 */
		private Duration initialBackoff = RetrySpec.DEFAULT_INITIAL_BACKOFF;

		/**
		 * Factor by which each wait grows.
		 */
		private double multiplier = RetrySpec.DEFAULT_MULTIPLIER;

		/**
		 * Longest wait between retries.
		 */
		private Duration maxBackoff = RetrySpec.DEFAULT_MAX_BACKOFF;

		/**
		 * Random spread of each wait, as a factor from 0 (none) to 1 (up to ±100 %).
		 */
		private double jitter = RetrySpec.DEFAULT_JITTER;

		/**
		 * Longest Retry-After the walk waits for; a longer one hops to the next model at once and
		 * cools the model down for that long.
		 */
		private Duration maxRetryAfter = RetrySpec.DEFAULT_MAX_RETRY_AFTER;

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

		public Duration getMaxRetryAfter() {
			return this.maxRetryAfter;
		}

		public void setMaxRetryAfter(Duration maxRetryAfter) {
			this.maxRetryAfter = maxRetryAfter;
		}

	}

	/** When a model stops being called for a while. */
	public static class Cooldown {

		/**
		 * Failures within the window (rate limits, 5xx, timeouts, invalid responses) that start a
		 * cooldown.
		 */
		private int failures = CooldownSpec.DEFAULT_FAILURES;

		/**
		 * Window in which failures are counted.
		 */
		private Duration window = CooldownSpec.DEFAULT_WINDOW;

		/**
		 * Length of a first cooldown; each failed half-open trial doubles the next one.
		 */
		private Duration duration = CooldownSpec.DEFAULT_DURATION;

		/**
		 * Longest a cooldown grows to after failed trials. Defaults to ten times the duration.
		 */
		private Duration maxDuration;

		public int getFailures() {
			return this.failures;
		}

		public void setFailures(int failures) {
			this.failures = failures;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public Duration getDuration() {
			return this.duration;
		}

		public void setDuration(Duration duration) {
			this.duration = duration;
		}

		public Duration getMaxDuration() {
			return this.maxDuration;
		}

		public void setMaxDuration(Duration maxDuration) {
			this.maxDuration = maxDuration;
		}

	}

	/** The llm health contributor. */
	public static class Health {

		/**
		 * Whether a model or policy that is cooling down reports DOWN (taking the application's
		 * health down) instead of COOLING_DOWN.
		 */
		private boolean strict;

		public boolean isStrict() {
			return this.strict;
		}

		public void setStrict(boolean strict) {
			this.strict = strict;
		}

	}

	/** Meters. */
	public static class Metrics {

		private final GenAi genAi = new GenAi();

		public GenAi getGenAi() {
			return this.genAi;
		}

		/** OpenTelemetry GenAI client meters. */
		public static class GenAi {

			/**
			 * Whether to record the OpenTelemetry GenAI client meters (gen_ai.client.operation.duration,
			 * gen_ai.client.token.usage) for each model call. They are left out anyway when Spring AI's
			 * own meters of the same names are on the classpath.
			 */
			private boolean enabled = true;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

		}

	}

	/** The fallbacks actuator endpoint. */
	public static class Endpoint {

		/**
		 * Most recent hops the fallbacks endpoint keeps and shows.
		 */
		private int recentHops = 100;

		/**
		 * Whether the endpoint's write operation (ending a model's cooldown) is available. An admin
		 * operation: secure it like any actuator write.
		 */
		private boolean resetEnabled = true;

		public int getRecentHops() {
			return this.recentHops;
		}

		public void setRecentHops(int recentHops) {
			this.recentHops = recentHops;
		}

		public boolean isResetEnabled() {
			return this.resetEnabled;
		}

		public void setResetEnabled(boolean resetEnabled) {
			this.resetEnabled = resetEnabled;
		}

	}

}
