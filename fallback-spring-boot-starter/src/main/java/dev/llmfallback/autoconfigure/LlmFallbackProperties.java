package dev.llmfallback.autoconfigure;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesSource;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.policy.Capability;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.policy.Routing;

/**
 * Configuration of the LLM fallback engine: providers, models and fallback policies, bound as
 * written. A property left out is {@code null} here and takes the core's default
 * ({@code RetrySpec}, {@code CooldownSpec}, {@code FallbackPolicy}, {@code ProviderSettings});
 * {@link FallbackConfigurationMapper} turns these records into the core's policy objects, which
 * check every value. Any name under {@code llm.fallback} that binds to nothing fails start-up
 * ({@code ignoreUnknownFields = false}), so a misspelt property is never silently ignored.
 *
 * @param enabled Whether to auto-configure the fallback engine and its ChatService.
 * @param defaultPolicy Policy used when a request names none; may be left out when only one policy
 * is configured.
 * @param defaultEmbeddingPolicy Embedding policy used by the EmbeddingService when a request names
 * none; may be left out when only one policy of embedding models is configured.
 * @param providers Providers by name: the accounts and servers that models are called on.
 * @param models Models by name, as policies refer to them.
 * @param policies Fallback policies by name: each an ordered chain of models and the rules for
 * walking it.
 * @param classification Extra message patterns (regular expressions, matched case-insensitively)
 * per error category, for provider error messages that the built-in rules do not classify.
 * @param health The llm health contributor.
 * @param metrics Meters.
 * @param endpoint The fallbacks actuator endpoint.
 * @param web How failed requests are answered over HTTP.
 * @param state Where the state shared across requests lives: this JVM, or Redis for replicas.
 * @param springAi The Spring AI ChatModel and EmbeddingModel over the fallback chain.
 *
 * <p>Over 300 lines: the records of one property tree, each component with the javadoc the
 * configuration metadata is made from.
 */
@ConfigurationProperties(prefix = "llm.fallback", ignoreUnknownFields = false)
public record LlmFallbackProperties(@DefaultValue("true") boolean enabled, @Nullable String defaultPolicy,
		@Nullable String defaultEmbeddingPolicy, Map<String, Provider> providers, Map<String, Model> models, Map<String, Policy> policies,
		Map<ErrorCategory, List<String>> classification, @DefaultValue Health health, @DefaultValue Metrics metrics,
		@DefaultValue Endpoint endpoint, @DefaultValue Web web, @DefaultValue State state,
		@DefaultValue SpringAi springAi) {

	public LlmFallbackProperties {
		providers = ordered(providers);
		models = ordered(models);
		policies = ordered(policies);
		classification = ordered(classification);
		health = (health != null) ? health : new Health(false);
		metrics = (metrics != null) ? metrics : new Metrics(new Metrics.GenAi(true));
		endpoint = (endpoint != null) ? endpoint : new Endpoint(100, true);
		web = (web != null) ? web : new Web(Duration.ofSeconds(60), new Web.ProblemDetails(true));
		state = (state != null) ? state : new State(State.StateStoreType.LOCAL, "llm-fallback:",
				Duration.ofSeconds(30), Duration.ofMillis(500));
		springAi = (springAi != null) ? springAi : new SpringAi(true, null, null);
	}

	static <K, V> Map<K, V> ordered(@Nullable Map<K, V> map) {
		return (map != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(map)) : Map.of();
	}

	static <T> List<T> listOrEmpty(@Nullable List<T> list) {
		return (list != null) ? List.copyOf(list) : List.of();
	}

	/**
	 * One provider: its wire protocol, where it is, and how to authenticate.
	 *
	 * @param type Wire protocol of the provider: one of the built-in adapters' types, e.g. openai
	 * (also any OpenAI-compatible server such as Groq, Mistral, vLLM or Ollama's /v1) or anthropic.
	 * @param baseUrl Base URL as the provider's official SDK uses it, e.g. https://api.openai.com/v1 or
	 * http://localhost:11434/v1 for Ollama's OpenAI-compatible API. Defaults to the type's documented
	 * base URL; required for azure-openai.
	 * @param apiKey API key, sent only in the provider's authentication header and never logged.
	 * Required when a policy uses the provider, unless its base URL is a loopback or private address
	 * (a local Ollama, vLLM or LM Studio).
	 * @param apiVersion API version, for azure-openai.
	 * @param headers Extra HTTP headers sent with every request.
	 * @param connectTimeout Timeout to establish a connection. Defaults to 10s.
	 * @param maxResponseSize Largest response body (or streamed line) accepted from the provider.
	 * Defaults to 8MB.
	 * @param maxConnections Most connections open to the provider at once. Defaults to 100.
	 * @param bean Name of the Spring AI ChatModel bean a provider of type spring-ai wraps.
	 */
	@ConfigurationPropertiesSource
	public record Provider(@Nullable String type, @Nullable String baseUrl, @Nullable String apiKey,
			@Nullable String apiVersion, Map<String, String> headers, @Nullable Duration connectTimeout,
			@Nullable DataSize maxResponseSize, @Nullable Integer maxConnections, @Nullable String bean) {

		public Provider {
			headers = ordered(headers);
		}

		@Override
		public String toString() {
			// Never the key, nor header values (they may carry credentials).
			return "Provider[type=" + this.type + ", baseUrl=" + this.baseUrl + ", bean=" + this.bean + ", apiKey="
					+ ((this.apiKey == null || this.apiKey.isBlank()) ? "(none)" : "******") + ", headers="
					+ this.headers.keySet() + "]";
		}

	}

	/**
	 * One model: which provider serves it, under what id, and its limits.
	 *
	 * @param provider Name of the provider (a key under llm.fallback.providers) that serves this
	 * model. May be left out when deployments are listed (it defaults to the first one's).
	 * @param model Model id sent to the provider. Defaults to the model's name.
	 * @param baseModel Id of a model the built-in catalogue knows whose context window and
	 * capabilities this model shares, for ids the catalogue cannot know such as Azure deployment
	 * names (e.g. gpt-4o).
	 * @param maxInputTokens Most input tokens the model accepts; prompts estimated larger skip it.
	 * Defaults to the built-in catalogue's value for a known model id (or base-model); an unknown
	 * model has no window check.
	 * @param timeout Timeout of one attempt on this model, overriding the policy's.
	 * @param capabilities What the model can serve beyond plain text (tools, vision, json-schema,
	 * streaming); a request needing one it lacks skips it. Defaults to the built-in catalogue's value
	 * for a known model id (or base-model), else all of them.
	 * @param type What the model is for: chat (the default) or embedding. A policy holds models of
	 * one type only.
	 * @param dimensions For an embedding model: the length of its vectors. Defaults to the built-in
	 * catalogue's value for a known model id (or base-model); a value below it is sent to the
	 * provider to shorten the vectors. Every model of an embedding policy must give the same length.
	 * @param deployments Places this model is served (the same model on two Azure regions and OpenAI,
	 * several vLLM servers), routed across by the calling policy's routing; each has its own cooldown
	 * and limits. When empty, the model is served by its provider alone.
	 */
	@ConfigurationPropertiesSource
	public record Model(@Nullable String provider, @Nullable String model, @Nullable String baseModel,
			@Nullable Integer maxInputTokens, @Nullable Duration timeout, @Nullable List<Capability> capabilities,
			@Nullable ModelType type, @Nullable Integer dimensions, List<Deployment> deployments) {

		public Model {
			deployments = listOrEmpty(deployments);
		}

	}

	/**
	 * One place a model is served.
	 *
	 * @param provider Name of the provider (a key under llm.fallback.providers) that serves this
	 * deployment.
	 * @param model Model id sent to that provider (e.g. the Azure deployment name). Defaults to the
	 * model's id.
	 * @param weight Share of the traffic under weighted routing, relative to the other deployments'.
	 * Defaults to 1.
	 * @param rpm Most requests per minute sent to this deployment; at the limit it is skipped (reason
	 * capacity). No limit by default.
	 * @param tpm Most tokens per minute (as the provider reports them) used on this deployment; at the
	 * limit it is skipped (reason capacity). No limit by default.
	 */
	@ConfigurationPropertiesSource
	public record Deployment(@Nullable String provider, @Nullable String model, @Nullable Double weight,
			@Nullable Integer rpm, @Nullable Integer tpm) {

	}

	/**
	 * One fallback policy.
	 *
	 * @param models The chain: models tried in this order, each at most once per request.
	 * @param contextWindowFallbacks Where a context_window_exceeded failure hops. When empty, it hops
	 * to the later models of the chain whose context window is larger.
	 * @param contentPolicyFallbacks Where a content_policy failure hops. When empty, a content_policy
	 * failure ends the request.
	 * @param retry How one model is retried within a request.
	 * @param timeout Timeout of one attempt (models may override it). Defaults to 30s.
	 * @param deadline Longest a whole request may take, all retries and hops included (for a stream:
	 * until its first chunk). Defaults to 60s.
	 * @param maxAttempts Most calls one request makes across the whole chain, retries included.
	 * Defaults to 6 or the number of models the policy can reach, whichever is larger; a lower value
	 * logs a start-up warning naming the models it can never reach.
	 * @param firstTokenTimeout For streams: no first chunk by then counts as a timeout. Defaults to 10s.
	 * @param idleTimeout For streams: longest silence between two chunks. Defaults to 30s.
	 * @param cooldown When a model stops being called for a while.
	 * @param retryOn Error categories after which the same model is retried, replacing the defaults
	 * (rate_limit, service_unavailable, server_error, timeout, invalid_response).
	 * @param fallbackOn Error categories after which the walk hops to another model, replacing the
	 * defaults (every category but bad_request and cancelled).
	 * @param dropUnsupportedParams Whether request parameters a model's provider has no equivalent for
	 * (e.g. logprobs on Anthropic) are left out of its call and named in the answer's droppedParams
	 * (x-fallback-dropped-params at the gateway), rather than skipping the model as unsupported.
	 * Capabilities (tools, vision, json-schema, streaming) are never dropped. Defaults to false.
	 * @param routing How one of a model's deployments is picked for each attempt: weighted (the
	 * default), least-busy, lowest-latency or usage.
	 * @param hedge When a second call starts while the first has not answered. No hedging by default.
	 */
	@ConfigurationPropertiesSource
	public record Policy(List<String> models, List<String> contextWindowFallbacks, List<String> contentPolicyFallbacks,
			@Nullable Retry retry, @Nullable Duration timeout, @Nullable Duration deadline,
			@Nullable Integer maxAttempts, @Nullable Duration firstTokenTimeout, @Nullable Duration idleTimeout,
			@Nullable Cooldown cooldown, @Nullable List<ErrorCategory> retryOn,
			@Nullable List<ErrorCategory> fallbackOn, @DefaultValue("false") boolean dropUnsupportedParams,
			@Nullable Routing routing, @Nullable Hedge hedge) {

		public Policy {
			models = listOrEmpty(models);
			contextWindowFallbacks = listOrEmpty(contextWindowFallbacks);
			contentPolicyFallbacks = listOrEmpty(contentPolicyFallbacks);
		}

	}

	/**
	 * Hedged requests: when the call in flight has not answered (a stream: sent no first chunk) by
	 * then, the next model of the chain is called too; the first answer wins and the other call is
	 * cancelled at once.
	 *
	 * @param after Fixed wait before the hedge starts, e.g. 2s. Set this or after-percentile.
	 * @param afterPercentile Wait as a percentile (above 0, below 100) of the called deployment's
	 * recent latencies, e.g. 95; no hedge until 20 latencies were seen. Set this or after.
	 * @param minAfter Shortest wait after-percentile may give. Defaults to 200ms.
	 * @param maxRate Largest share of the policy's requests that are hedged over a sliding minute, as
	 * a percentage (10%) or a fraction (0.1). Defaults to 10%.
	 */
	@ConfigurationPropertiesSource
	public record Hedge(@Nullable Duration after, @Nullable Double afterPercentile, @Nullable Duration minAfter,
			@Nullable String maxRate) {

	}

	/**
	 * How one model is retried within a request.
	 *
	 * @param maxRetries Retries of one model per request (calls are at most 1 + max-retries).
	 * Defaults to 2.
	 * @param initialBackoff Wait before the first retry. Defaults to 200ms.
	 * @param multiplier Factor by which each wait grows. Defaults to 2.0.
	 * @param maxBackoff Longest wait between retries. Defaults to 5s.
	 * @param jitter Random spread of each wait, as a factor from 0 (none) to 1 (up to ±100 %).
	 * Defaults to 0.2.
	 * @param maxRetryAfter Longest Retry-After the walk waits for; a longer one hops to the next model
	 * at once and cools the model down for that long. Defaults to 10s.
	 */
	@ConfigurationPropertiesSource
	public record Retry(@Nullable Integer maxRetries, @Nullable Duration initialBackoff, @Nullable Double multiplier,
			@Nullable Duration maxBackoff, @Nullable Double jitter, @Nullable Duration maxRetryAfter) {

	}

	/**
	 * When a model stops being called for a while.
	 *
	 * @param failures Failures within the window (rate limits, 5xx, timeouts, invalid responses) that
	 * start a cooldown. Defaults to 3.
	 * @param window Window in which failures are counted. Defaults to 60s.
	 * @param duration Length of a first cooldown; each failed half-open trial doubles the next one.
	 * Defaults to 30s.
	 * @param maxDuration Longest a cooldown grows to after failed trials. Defaults to ten times the
	 * duration.
	 */
	@ConfigurationPropertiesSource
	public record Cooldown(@Nullable Integer failures, @Nullable Duration window, @Nullable Duration duration,
			@Nullable Duration maxDuration) {

	}

	/**
	 * The llm health contributor.
	 *
	 * @param strict Whether a model or policy that is cooling down reports DOWN (taking the
	 * application's health down) instead of COOLING_DOWN.
	 */
	public record Health(@DefaultValue("false") boolean strict) {

	}

	/**
	 * Meters.
	 *
	 * @param genAi The OpenTelemetry GenAI client meters.
	 */
	public record Metrics(@DefaultValue GenAi genAi) {

		public Metrics {
			genAi = (genAi != null) ? genAi : new GenAi(true);
		}

		/**
		 * OpenTelemetry GenAI client meters.
		 *
		 * @param enabled Whether to record the OpenTelemetry GenAI client meters
		 * (gen_ai.client.operation.duration, gen_ai.client.token.usage) for each model call. They are
		 * left out anyway when Spring AI's own meters of the same names are on the classpath.
		 */
		public record GenAi(@DefaultValue("true") boolean enabled) {

		}

	}

	/**
	 * The fallbacks actuator endpoint.
	 *
	 * @param recentHops Most recent hops the fallbacks endpoint keeps and shows.
	 * @param resetEnabled Whether the endpoint's write operation (ending a model's cooldown) is
	 * available. An admin operation: secure it like any actuator write.
	 */
	public record Endpoint(@DefaultValue("100") int recentHops, @DefaultValue("true") boolean resetEnabled) {

	}

	/**
	 * How failed LLM requests are answered over HTTP: by the problem details the starter contributes
	 * to an application's own controllers, and by gateways that use the starter's
	 * FallbackErrorMapping.
	 *
	 * @param maxRetryAfter Longest wait advised in Retry-After and retry-after-ms when a request
	 * failed but a re-send can succeed (the time until the earliest model of the chain can be tried
	 * again, capped by this). The OpenAI SDKs wait at most 60 seconds. Defaults to 60s.
	 * @param problemDetails Problem details for an application's own controllers.
	 */
	public record Web(@DefaultValue("60s") Duration maxRetryAfter, @DefaultValue ProblemDetails problemDetails) {

		public Web {
			maxRetryAfter = (maxRetryAfter != null) ? maxRetryAfter : Duration.ofSeconds(60);
			problemDetails = (problemDetails != null) ? problemDetails : new ProblemDetails(true);
		}

		/**
		 * Problem details for an application's own controllers.
		 *
		 * @param enabled Whether a FallbackExhaustedException or LlmException reaching a Spring MVC
		 * or WebFlux controller is answered as an RFC 9457 problem detail (status per error
		 * category, Retry-After, x-should-retry, category and attempts) rather than a 500.
		 */
		public record ProblemDetails(@DefaultValue("true") boolean enabled) {

		}

	}

	/**
	 * Where the state shared across requests lives: failure windows, cooldowns, the half-open
	 * trial and rpm/tpm counters (latency figures and hedge budgets stay each replica's own).
	 *
	 * @param store Where the state lives: local (this JVM, the default) or redis (the application's
	 * reactive Spring Data Redis connection, shared by every replica).
	 * @param keyPrefix Prefix of every Redis key and of the pub/sub channel. Defaults to llm-fallback:.
	 * @param trialLease How long one replica may hold the half-open trial before another may run it
	 * (a replica that dies mid-trial blocks recovery no longer than this). Defaults to 30s.
	 * @param timeout How long a Redis command may take before this replica counts Redis as
	 * unreachable and keeps its state locally until Redis is back. Requests never wait on it.
	 * Defaults to 500ms.
	 */
	public record State(@DefaultValue("local") StateStoreType store, @DefaultValue("llm-fallback:") String keyPrefix,
			@DefaultValue("30s") Duration trialLease, @DefaultValue("500ms") Duration timeout) {

		public State {
			store = (store != null) ? store : StateStoreType.LOCAL;
			keyPrefix = (keyPrefix != null) ? keyPrefix : "llm-fallback:";
			trialLease = (trialLease != null) ? trialLease : Duration.ofSeconds(30);
			timeout = (timeout != null) ? timeout : Duration.ofMillis(500);
		}

		/** Where the shared state lives. */
		public enum StateStoreType {

			/** This JVM. */
			LOCAL,

			/** Redis, shared by every replica. */
			REDIS

		}

	}

	/**
	 * The Spring AI ChatModel and EmbeddingModel over the fallback chain.
	 *
	 * @param enabled Whether to auto-configure FallbackChatModel and FallbackEmbeddingModel when
	 * Spring AI is on the classpath.
	 * @param policy Policy the FallbackChatModel walks. Defaults to llm.fallback.default-policy.
	 * @param embeddingPolicy Policy the FallbackEmbeddingModel walks. Defaults to
	 * llm.fallback.default-embedding-policy.
	 */
	public record SpringAi(@DefaultValue("true") boolean enabled, @Nullable String policy,
			@Nullable String embeddingPolicy) {

	}

}
