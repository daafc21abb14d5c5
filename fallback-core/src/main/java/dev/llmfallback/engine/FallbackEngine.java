package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.ChatService;
import dev.llmfallback.EmbeddingService;
import dev.llmfallback.event.FallbackEventListener;
import dev.llmfallback.observation.FallbackObservationConvention;
import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelCatalog;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.state.SharedState;

/**
 * Walks fallback chains: the providers, models and policies of one configuration, with the cooldown
 * state of every model. Build one with {@link #builder()}; the builder validates the whole
 * configuration (unknown names, empty chains, cycles) and fails with a
 * {@link FallbackConfigurationException} naming the property at fault. Thread-safe; one engine
 * serves any number of concurrent requests.
 *
 * <p>Get a {@link ChatService} per policy with {@link #chatService()} (the default policy) or
 * {@link #chatService(String)}. The engine never blocks: back-off waits, timeouts and deadlines are
 * Reactor timers on the engine's scheduler.
 *
 * <p>This class is the engine's face only: {@code EngineAssembly} builds it, the drivers
 * ({@code ChatCallDriver}, {@code ChatStreamDriver}) run requests over the one {@code RequestWalk},
 * and {@code ModelStatuses} answers the operator's questions.
 */
public final class FallbackEngine {

	/** Prefix of the policy name under which {@link #modelService(String)} reports its requests. */
	public static final String MODEL_POLICY_PREFIX = "model:";

	private final Map<String, CompiledPolicy> policies;

	/** The public view of {@link #policies}, built once. */
	private final Map<String, FallbackPolicy> policyDefinitions;

	private final String defaultPolicy;

	private final ModelStatuses models;

	private final ChatCallDriver calls;

	private final ChatStreamDriver streams;

	/** One service per policy, built once. */
	private final Map<String, ChatService> services;

	private final ChatService defaultService;

	private final Map<String, ChatService> modelServices = new ConcurrentHashMap<>();

	/** One service per embedding policy, built once. */
	private final Map<String, EmbeddingService> embeddingServices;

	private final @Nullable String defaultEmbeddingPolicy;

	private final EmbeddingCallDriver embeddings;

	private final Map<String, EmbeddingService> embeddingModelServices = new ConcurrentHashMap<>();

	FallbackEngine(Map<String, CompiledPolicy> policies, String defaultPolicy, ModelStatuses models,
			ChatCallDriver calls, ChatStreamDriver streams, EmbeddingCallDriver embeddings,
			@Nullable String defaultEmbeddingPolicy) {
		this.policies = policies;
		this.defaultPolicy = defaultPolicy;
		this.models = models;
		this.calls = calls;
		this.streams = streams;
		Map<String, FallbackPolicy> definitions = new LinkedHashMap<>();
		policies.forEach((name, compiled) -> definitions.put(name, compiled.policy()));
		this.policyDefinitions = Collections.unmodifiableMap(definitions);
		Map<String, ChatService> services = new LinkedHashMap<>();
		policies.forEach((name, compiled) -> services.put(name, service(compiled)));
		this.services = Collections.unmodifiableMap(services);
		this.defaultService = Objects.requireNonNull(services.get(defaultPolicy),
				"the default policy is one of the policies");
		Map<String, EmbeddingService> embeddingServices = new LinkedHashMap<>();
		policies.forEach((name, compiled) -> {
			if (compiled.type() == ModelType.EMBEDDING) {
				embeddingServices.put(name, new PolicyEmbeddingService(compiled, policies, embeddings));
			}
		});
		this.embeddingServices = Collections.unmodifiableMap(embeddingServices);
		this.defaultEmbeddingPolicy = defaultEmbeddingPolicy;
		this.embeddings = embeddings;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** @return the service for the default policy */
	public ChatService chatService() {
		return this.defaultService;
	}

	/**
	 * The service for a named policy.
	 * @param policy the policy's name
	 * @return the service
	 * @throws IllegalArgumentException for an unknown policy
	 */
	public ChatService chatService(String policy) {
		ChatService service = this.services.get(policy);
		if (service == null) {
			throw new IllegalArgumentException(PolicyChatService.unknownPolicy(policy, this.policies));
		}
		return service;
	}

	/**
	 * The embedding service of the default embedding policy: the one set with
	 * {@link Builder#defaultEmbeddingPolicy(String)}, or the only embedding policy.
	 * @return the service
	 * @throws FallbackConfigurationException when there is no embedding policy, or several and no default
	 */
	public EmbeddingService embeddingService() {
		if (this.defaultEmbeddingPolicy == null) {
			throw EmbeddingChecks.noDefaultEmbeddingPolicy(this.policies);
		}
		return Objects.requireNonNull(this.embeddingServices.get(this.defaultEmbeddingPolicy));
	}

	/**
	 * The embedding service of a named embedding policy.
	 * @param policy the policy's name
	 * @return the service
	 * @throws IllegalArgumentException for an unknown policy or a chat policy
	 */
	public EmbeddingService embeddingService(String policy) {
		EmbeddingService service = this.embeddingServices.get(policy);
		if (service == null) {
			throw new IllegalArgumentException(this.policies.containsKey(policy)
					? "Policy '" + policy + "' is a chat policy; embedding policies: "
							+ String.join(", ", this.embeddingServices.keySet())
					: PolicyChatService.unknownPolicy(policy, this.policies));
		}
		return service;
	}

	/**
	 * An embedding service that calls one configured embedding model only, with the retries,
	 * timeouts and cooldown of the default embedding policy (else of the default policy) and the
	 * model's shared cooldown state. Its requests are reported under the policy name
	 * {@code model:<name>}. For gateways whose callers name a model rather than a policy.
	 * @param model the embedding model's name
	 * @return the service
	 * @throws IllegalArgumentException for an unknown model or a chat model
	 */
	public EmbeddingService embeddingModelService(String model) {
		ModelRuntime runtime = this.models.runtime(model);
		if (runtime.type() != ModelType.EMBEDDING) {
			throw new IllegalArgumentException("Model '" + model + "' is a chat model; use modelService");
		}
		return this.embeddingModelServices.computeIfAbsent(model, (name) -> {
			String settings = (this.defaultEmbeddingPolicy != null) ? this.defaultEmbeddingPolicy : this.defaultPolicy;
			FallbackPolicy policy = Objects.requireNonNull(this.policies.get(settings))
				.policy()
				.toBuilder(MODEL_POLICY_PREFIX + name)
				.models(name)
				.contextWindowFallbacks(List.of())
				.contentPolicyFallbacks(List.of())
				.build();
			return new PolicyEmbeddingService(new CompiledPolicy(policy, List.of(runtime), List.of(), List.of()),
					this.policies, this.embeddings);
		});
	}

	/** @return the name of the policy {@link #embeddingService()} uses, or {@code null} when there is none */
	public @Nullable String defaultEmbeddingPolicy() {
		return this.defaultEmbeddingPolicy;
	}

	/**
	 * A service that calls one configured model only, with the default policy's retries, timeouts
	 * and cooldown (and the model's shared cooldown state). Its requests are reported under the
	 * policy name {@code model:<name>}. For gateways whose callers name a model rather than a policy.
	 * @param model the model's name
	 * @return the service
	 * @throws IllegalArgumentException for an unknown model
	 */
	public ChatService modelService(String model) {
		ModelRuntime runtime = this.models.runtime(model);
		return this.modelServices.computeIfAbsent(model, (name) -> {
			FallbackPolicy policy = Objects.requireNonNull(this.policies.get(this.defaultPolicy))
				.policy()
				.toBuilder(MODEL_POLICY_PREFIX + name)
				.models(name)
				.contextWindowFallbacks(List.of())
				.contentPolicyFallbacks(List.of())
				.build();
			return service(new CompiledPolicy(policy, List.of(runtime), List.of(), List.of()));
		});
	}

	private ChatService service(CompiledPolicy policy) {
		return new PolicyChatService(policy, this.policies, this.calls, this.streams);
	}

	/** @return the name of the policy used when a request names none */
	public String defaultPolicy() {
		return this.defaultPolicy;
	}

	/** @return every policy by name, in configuration order (one shared, unmodifiable view) */
	public Map<String, FallbackPolicy> policies() {
		return this.policyDefinitions;
	}

	/** @return every model by name, in configuration order (one shared, unmodifiable view) */
	public Map<String, ModelDefinition> models() {
		return this.models.definitions();
	}

	/**
	 * The context window the engine checks prompts against for a model.
	 * @param model the model's name
	 * @return the most input tokens, or 0 when unknown (never checked)
	 */
	public int maxInputTokens(String model) {
		return this.models.maxInputTokens(model);
	}

	/**
	 * A snapshot of a model's cooldown state.
	 * @param model the model's name
	 * @return its status
	 * @throws IllegalArgumentException for an unknown model
	 */
	public ModelStatus modelStatus(String model) {
		return this.models.status(model);
	}

	/** @return a snapshot of every model's state, in configuration order */
	public List<ModelStatus> modelStatuses() {
		return this.models.statuses();
	}

	/**
	 * A snapshot of a policy's chain: each model's state, and whether any of them is available.
	 * @param policy the policy's name
	 * @return its status
	 * @throws IllegalArgumentException for an unknown policy
	 */
	public PolicyStatus policyStatus(String policy) {
		CompiledPolicy compiled = this.policies.get(policy);
		if (compiled == null) {
			throw new IllegalArgumentException(PolicyChatService.unknownPolicy(policy, this.policies));
		}
		return this.models.status(compiled);
	}

	/**
	 * Ends a model's cooldown at once, as an operator would after fixing a key.
	 * @param model the model's name
	 * @return whether it was cooling down
	 * @throws IllegalArgumentException for an unknown model
	 */
	public boolean resetCooldown(String model) {
		return this.models.resetCooldown(model);
	}

	// The public Builder stays nested (FallbackEngine.builder() and FallbackEngine.Builder are the
	// API users and the starter compile against), which takes this file past 300 lines: it holds
	// setters and their documentation only; EngineAssembly does the building.

	/**
	 * Builds a {@link FallbackEngine} and validates its configuration. Not thread-safe.
	 */
	public static final class Builder {

		private final Map<String, ChatProvider> providers = new LinkedHashMap<>();

		private final Map<String, ModelDefinition> models = new LinkedHashMap<>();

		private final Map<String, FallbackPolicy> policies = new LinkedHashMap<>();

		private final List<FallbackEventListener> listeners = new ArrayList<>();

		private @Nullable String defaultPolicy;

		private @Nullable String defaultEmbeddingPolicy;

		private ModelCatalog catalog = ModelCatalog.builtIn();

		private @Nullable Scheduler scheduler;

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @Nullable FallbackObservationConvention observationConvention;

		private boolean eventLog = true;

		private @Nullable RandomGenerator random;

		private @Nullable SharedState sharedState;

		private Builder() {
		}

		/**
		 * The source of randomness for {@code weighted} routing (and for ties of the other routings).
		 * By default each thread's own {@code ThreadLocalRandom}; tests pass a seeded generator so
		 * that the picks repeat.
		 * @param random the generator, used from many threads at once
		 * @return this builder
		 */
		public Builder random(RandomGenerator random) {
			this.random = Objects.requireNonNull(random, "random");
			return this;
		}

		public Builder provider(ChatProvider provider) {
			putOnce(this.providers, "providers", Objects.requireNonNull(provider, "provider").name(), provider, "provider");
			return this;
		}

		private static <T> void putOnce(Map<String, T> definitions, String kind, String name, T definition, String what) {
			if (definitions.putIfAbsent(name, definition) != null) {
				throw new FallbackConfigurationException(kind + "." + name, "is defined twice",
						"Give each " + what + " a unique name");
			}
		}

		public Builder providers(Collection<? extends ChatProvider> providers) {
			providers.forEach(this::provider);
			return this;
		}

		public Builder model(ModelDefinition model) {
			putOnce(this.models, "models", Objects.requireNonNull(model, "model").name(), model, "model");
			return this;
		}

		public Builder models(Collection<ModelDefinition> models) {
			models.forEach(this::model);
			return this;
		}

		public Builder policy(FallbackPolicy policy) {
			putOnce(this.policies, "policies", Objects.requireNonNull(policy, "policy").name(), policy, "policy");
			return this;
		}

		public Builder policies(Collection<FallbackPolicy> policies) {
			policies.forEach(this::policy);
			return this;
		}

		/**
		 * The policy used when a request names none; may be left out when there is one policy only.
		 * @param defaultPolicy the policy's name
		 * @return this builder
		 */
		public Builder defaultPolicy(@Nullable String defaultPolicy) {
			this.defaultPolicy = defaultPolicy;
			return this;
		}

		/**
		 * The embedding policy {@link FallbackEngine#embeddingService()} uses; may be left out when
		 * there is one embedding policy only.
		 * @param defaultEmbeddingPolicy the policy's name
		 * @return this builder
		 */
		public Builder defaultEmbeddingPolicy(@Nullable String defaultEmbeddingPolicy) {
			this.defaultEmbeddingPolicy = defaultEmbeddingPolicy;
			return this;
		}

		public Builder listener(FallbackEventListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		public Builder listeners(Collection<? extends FallbackEventListener> listeners) {
			listeners.forEach(this::listener);
			return this;
		}

		/**
		 * The context-window table for models without {@code max-input-tokens}; the built-in one by default.
		 * @param catalog the catalogue
		 * @return this builder
		 */
		public Builder catalog(ModelCatalog catalog) {
			this.catalog = Objects.requireNonNull(catalog, "catalog");
			return this;
		}

		/**
		 * The scheduler for back-off waits, timeouts and deadlines, and the source of the engine's time.
		 * Tests pass a virtual-time scheduler; by default timers run on a shared hashed timer wheel
		 * (10 ms ticks) that hands expired tasks to {@link Schedulers#parallel()}, and time is
		 * {@link System#nanoTime()}.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
			return this;
		}

		/**
		 * The registry in which each request, chat or stream, is observed
		 * ({@link dev.llmfallback.observation.FallbackObservationDocumentation#REQUEST}), as a child of
		 * the caller's observation in the Reactor context. {@link ObservationRegistry#NOOP} by default,
		 * which observes nothing and costs nothing.
		 * @param observationRegistry the registry
		 * @return this builder
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
			return this;
		}

		/**
		 * A convention that replaces the default one of the request observations.
		 * @param observationConvention the convention, or {@code null} for the default
		 * @return this builder
		 */
		public Builder observationConvention(@Nullable FallbackObservationConvention observationConvention) {
			this.observationConvention = observationConvention;
			return this;
		}

		/**
		 * Shares circuits (failure windows, cooldowns, the one half-open trial) and {@code rpm}/{@code tpm}
		 * usage with the other replicas of the application. Requests never wait on it: see
		 * {@link SharedState}. By default the state is this JVM's alone.
		 * @param sharedState the state shared by the replicas, or {@code null} for local state
		 * @return this builder
		 */
		public Builder sharedState(@Nullable SharedState sharedState) {
			this.sharedState = sharedState;
			return this;
		}

		/**
		 * Whether the engine logs, under {@code dev.llmfallback.events}, one line when a model starts
		 * cooling down (WARN), one when it is available again (INFO) and one when a request exhausts
		 * its chain (WARN), each rate-limited per model. On by default.
		 * @param eventLog whether to log
		 * @return this builder
		 */
		public Builder eventLog(boolean eventLog) {
			this.eventLog = eventLog;
			return this;
		}

		/**
		 * Validates the configuration and builds the engine.
		 * @return the engine
		 * @throws FallbackConfigurationException naming the property at fault and the fix
		 */
		public FallbackEngine build() {
			return new EngineAssembly(new LinkedHashMap<>(this.providers), new LinkedHashMap<>(this.models),
					new LinkedHashMap<>(this.policies), List.copyOf(this.listeners), this.defaultPolicy,
					this.defaultEmbeddingPolicy, this.catalog, this.scheduler, this.observationRegistry, this.observationConvention, this.eventLog)
				.random(this.random)
				.store((this.sharedState != null) ? StateStore.shared(this.sharedState) : StateStore.local())
				.build();
		}

	}

}
