package dev.llmfallback.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.event.FallbackEventListener;
import dev.llmfallback.observation.FallbackObservationConvention;
import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelCatalog;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;

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
 */
public final class FallbackEngine {

	private final Map<String, CompiledPolicy> policies;

	private final Map<String, ModelRuntime> models;

	private final String defaultPolicy;

	private final EngineClock clock;

	private final EventPublisher events;

	private final TokenEstimator tokens;

	private final ChatService defaultService;

	private final Map<String, ChatService> modelServices = new ConcurrentHashMap<>();

	/** Prefix of the policy name under which {@link #modelService(String)} reports its requests. */
	public static final String MODEL_POLICY_PREFIX = "model:";

	/** {@code null} when observations are off. */
	private final RequestObservations observations;

	private FallbackEngine(Map<String, CompiledPolicy> policies, Map<String, ModelRuntime> models, String defaultPolicy,
			EngineClock clock, EventPublisher events, TokenEstimator tokens, RequestObservations observations) {
		this.policies = policies;
		this.models = models;
		this.defaultPolicy = defaultPolicy;
		this.clock = clock;
		this.events = events;
		this.tokens = tokens;
		this.observations = observations;
		this.defaultService = new PolicyChatService(policies.get(defaultPolicy));
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
		CompiledPolicy compiled = this.policies.get(policy);
		if (compiled == null) {
			throw new IllegalArgumentException(unknownPolicy(policy));
		}
		return policy.equals(this.defaultPolicy) ? this.defaultService : new PolicyChatService(compiled);
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
		ModelRuntime runtime = runtime(model);
		return this.modelServices.computeIfAbsent(model, (name) -> {
			FallbackPolicy policy = this.policies.get(this.defaultPolicy).policy.toBuilder(MODEL_POLICY_PREFIX + name)
				.models(name)
				.contextWindowFallbacks(List.of())
				.contentPolicyFallbacks(List.of())
				.build();
			return new PolicyChatService(new CompiledPolicy(policy, List.of(runtime), List.of(), List.of()));
		});
	}

	/** @return the name of the policy used when a request names none */
	public String defaultPolicy() {
		return this.defaultPolicy;
	}

	/** @return every policy by name, in configuration order */
	public Map<String, FallbackPolicy> policies() {
		Map<String, FallbackPolicy> result = new LinkedHashMap<>();
		this.policies.forEach((name, compiled) -> result.put(name, compiled.policy));
		return Collections.unmodifiableMap(result);
	}

	/** @return every model by name, in configuration order */
	public Map<String, ModelDefinition> models() {
		Map<String, ModelDefinition> result = new LinkedHashMap<>();
		this.models.forEach((name, runtime) -> result.put(name, runtime.definition));
		return Collections.unmodifiableMap(result);
	}

	/**
	 * The context window the engine checks prompts against for a model.
	 * @param model the model's name
	 * @return the most input tokens, or 0 when unknown (never checked)
	 */
	public int maxInputTokens(String model) {
		return runtime(model).maxInputTokens;
	}

	/**
	 * A snapshot of a model's cooldown state.
	 * @param model the model's name
	 * @return its status
	 * @throws IllegalArgumentException for an unknown model
	 */
	public ModelStatus modelStatus(String model) {
		return runtime(model).circuit.status(this.clock.nanoTime());
	}

	/** @return a snapshot of every model's state, in configuration order */
	public List<ModelStatus> modelStatuses() {
		long now = this.clock.nanoTime();
		List<ModelStatus> statuses = new ArrayList<>(this.models.size());
		this.models.values().forEach((runtime) -> statuses.add(runtime.circuit.status(now)));
		return statuses;
	}

	/**
	 * Ends a model's cooldown at once, as an operator would after fixing a key.
	 * @param model the model's name
	 * @return whether it was cooling down
	 * @throws IllegalArgumentException for an unknown model
	 */
	public boolean resetCooldown(String model) {
		return runtime(model).circuit.reset();
	}

	private ModelRuntime runtime(String model) {
		ModelRuntime runtime = this.models.get(model);
		if (runtime == null) {
			throw new IllegalArgumentException(
					"Unknown model '" + model + "'; configured models: " + String.join(", ", this.models.keySet()));
		}
		return runtime;
	}

	private String unknownPolicy(String policy) {
		return "Unknown policy '" + policy + "'; configured policies: " + String.join(", ", this.policies.keySet());
	}

	private Mono<CompiledPolicy> resolve(CompiledPolicy bound, ChatRequest request) {
		if (request == null) {
			return Mono.error(LlmException.builder(ErrorCategory.BAD_REQUEST).message("The request is null").build());
		}
		String named = request.policy();
		if (named == null || named.equals(bound.name)) {
			return Mono.just(bound);
		}
		CompiledPolicy policy = this.policies.get(named);
		return (policy != null) ? Mono.just(policy)
				: Mono.error(LlmException.builder(ErrorCategory.BAD_REQUEST).message(unknownPolicy(named)).build());
	}

	Mono<ChatResponse> chat(CompiledPolicy policy, ChatRequest request) {
		Mono<ChatResponse> chat = Mono.defer(() -> {
			RequestWalk walk = new RequestWalk(this.clock, this.events, this.tokens, policy, request, false);
			return nextCall(walk).doOnCancel(walk::cancel);
		});
		return (this.observations != null) ? this.observations.chat(policy.name, chat) : chat;
	}

	private Mono<ChatResponse> nextCall(RequestWalk walk) {
		RequestWalk.Call call = walk.next();
		if (call == null) {
			return Mono.error(walk.failure());
		}
		ModelRuntime model = call.model;
		ProviderRequest request = new ProviderRequest(model.definition.model(), walk.request);
		Mono<ProviderResponse> response = Mono.defer(() -> {
			walk.started(call);
			return model.provider.chat(request);
		}).switchIfEmpty(Mono.error(() -> noAnswer(model))).timeout(call.timeout, this.clock.scheduler());
		if (call.delayNanos > 0) {
			response = Mono.delay(Duration.ofNanos(call.delayNanos), this.clock.scheduler()).then(response);
		}
		return response.map((answer) -> walk.onSuccess(call, answer)).onErrorResume((error) -> {
			if (walk.isDone()) {
				return Mono.error(error);
			}
			walk.onFailure(call, error);
			return nextCall(walk);
		});
	}

	Flux<ChatChunk> stream(CompiledPolicy policy, ChatRequest request) {
		Flux<ChatChunk> stream = Flux.defer(() -> {
			RequestWalk walk = new RequestWalk(this.clock, this.events, this.tokens, policy, request, true);
			return nextStream(walk).doOnCancel(walk::cancel);
		});
		return (this.observations != null) ? this.observations.stream(policy.name, stream) : stream;
	}

	private Flux<ChatChunk> nextStream(RequestWalk walk) {
		RequestWalk.Call call = walk.next();
		if (call == null) {
			return Flux.error(walk.failure());
		}
		ModelRuntime model = call.model;
		ProviderRequest request = new ProviderRequest(model.definition.model(), walk.request);
		RequestWalk.StreamProgress progress = new RequestWalk.StreamProgress();
		Duration idleTimeout = walk.policy.policy.idleTimeout();
		Scheduler scheduler = this.clock.scheduler();
		Flux<ChatChunk> chunks = Flux.defer(() -> {
			walk.started(call);
			progress.firstChunkDeadline = call.startedAt + call.timeout.toNanos();
			return model.provider.stream(request);
		})
			.filter(ProviderChunk::hasContent)
			// Until the first text chunk the first-token timeout runs on (chunks without text do not
			// reset it); after it, each chunk must follow the last within the idle timeout.
			.timeout(Mono.delay(call.timeout, scheduler),
					(chunk) -> Mono.delay(
							(progress.committed() || !chunk.delta().isEmpty()) ? idleTimeout
									: Duration.ofNanos(Math.max(0, progress.firstChunkDeadline - this.clock.nanoTime())),
							scheduler))
			.<ChatChunk>handle((chunk, sink) -> {
				if (chunk.finishReason() != null) {
					progress.finishReason = chunk.finishReason();
				}
				if (chunk.providerModel() != null) {
					progress.providerModel = chunk.providerModel();
				}
				if (chunk.usage() != null) {
					progress.usage = chunk.usage();
				}
				if (!chunk.delta().isEmpty()) {
					progress.delivered++;
					sink.next(ChatChunk.delta(chunk.delta(), model.name, model.providerName));
				}
			})
			.concatWith(Mono.defer(() -> (progress.committed() || progress.finishReason != null)
					? Mono.just(walk.onStreamComplete(call, progress)) : Mono.error(noAnswer(model))));
		if (call.delayNanos > 0) {
			chunks = Mono.delay(Duration.ofNanos(call.delayNanos), scheduler).thenMany(chunks);
		}
		return chunks.onErrorResume((error) -> {
			if (walk.isDone()) {
				return Flux.error(error);
			}
			if (progress.committed()) {
				return Flux.error(walk.onStreamInterrupted(call, progress, error));
			}
			walk.onFailure(call, error);
			return nextStream(walk);
		});
	}

	private static LlmException noAnswer(ModelRuntime model) {
		return LlmException.builder(ErrorCategory.INVALID_RESPONSE)
			.message("Provider '" + model.providerName + "' ended the call to model '" + model.name
					+ "' without an answer")
			.basis(ClassificationBasis.BODY)
			.model(model.name)
			.provider(model.providerName)
			.build();
	}

	/** A {@link ChatService} bound to one policy. */
	private final class PolicyChatService implements ChatService {

		private final CompiledPolicy policy;

		PolicyChatService(CompiledPolicy policy) {
			this.policy = policy;
		}

		@Override
		public Mono<ChatResponse> chat(ChatRequest request) {
			return resolve(this.policy, request).flatMap((policy) -> FallbackEngine.this.chat(policy, request));
		}

		@Override
		public Flux<ChatChunk> stream(ChatRequest request) {
			return resolve(this.policy, request).flatMapMany((policy) -> FallbackEngine.this.stream(policy, request));
		}

		@Override
		public String call(String prompt) {
			if (Schedulers.isInNonBlockingThread()) {
				throw new IllegalStateException("ChatService.call(String) blocks and cannot run on the non-blocking thread '"
						+ Thread.currentThread().getName() + "'; use chat(ChatRequest) and compose the Mono instead");
			}
			return chat(ChatRequest.of(prompt)).map(ChatResponse::content).block();
		}

		@Override
		public String toString() {
			return "ChatService[policy=" + this.policy.name + "]";
		}

	}

	/**
	 * Builds a {@link FallbackEngine} and validates its configuration. Not thread-safe.
	 */
	public static final class Builder {

		private final Map<String, ChatProvider> providers = new LinkedHashMap<>();

		private final Map<String, ModelDefinition> models = new LinkedHashMap<>();

		private final Map<String, FallbackPolicy> policies = new LinkedHashMap<>();

		private final List<FallbackEventListener> listeners = new ArrayList<>();

		private String defaultPolicy;

		private ModelCatalog catalog = ModelCatalog.builtIn();

		private Scheduler scheduler;

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private FallbackObservationConvention observationConvention;

		private Builder() {
		}

		public Builder provider(ChatProvider provider) {
			Objects.requireNonNull(provider, "provider");
			if (this.providers.putIfAbsent(provider.name(), provider) != null) {
				throw new FallbackConfigurationException("providers." + provider.name(), "is defined twice",
						"Give each provider a unique name");
			}
			return this;
		}

		public Builder providers(Collection<? extends ChatProvider> providers) {
			providers.forEach(this::provider);
			return this;
		}

		public Builder model(ModelDefinition model) {
			Objects.requireNonNull(model, "model");
			if (this.models.putIfAbsent(model.name(), model) != null) {
				throw new FallbackConfigurationException("models." + model.name(), "is defined twice",
						"Give each model a unique name");
			}
			return this;
		}

		public Builder models(Collection<ModelDefinition> models) {
			models.forEach(this::model);
			return this;
		}

		public Builder policy(FallbackPolicy policy) {
			Objects.requireNonNull(policy, "policy");
			if (this.policies.putIfAbsent(policy.name(), policy) != null) {
				throw new FallbackConfigurationException("policies." + policy.name(), "is defined twice",
						"Give each policy a unique name");
			}
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
		public Builder defaultPolicy(String defaultPolicy) {
			this.defaultPolicy = defaultPolicy;
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
		public Builder observationConvention(FallbackObservationConvention observationConvention) {
			this.observationConvention = observationConvention;
			return this;
		}

		/**
		 * Validates the configuration and builds the engine.
		 * @return the engine
		 * @throws FallbackConfigurationException naming the property at fault and the fix
		 */
		public FallbackEngine build() {
			if (this.policies.isEmpty()) {
				throw new FallbackConfigurationException("policies", "no policy is configured",
						"Add at least one policy with a chain of models under llm.fallback.policies");
			}
			String defaultPolicy = resolveDefaultPolicy();
			EngineClock clock = (this.scheduler != null) ? EngineClock.of(this.scheduler) : EngineClock.system();
			EventPublisher events = new EventPublisher(this.listeners);
			Map<String, ModelRuntime> runtimes = new LinkedHashMap<>();
			this.models.forEach((name, model) -> {
				ChatProvider provider = this.providers.get(model.provider());
				if (provider == null) {
					throw new FallbackConfigurationException("models." + name + ".provider",
							"names provider '" + model.provider() + "', which is not configured",
							"Configure llm.fallback.providers." + model.provider() + " or use one of: "
									+ known(this.providers.keySet()));
				}
				int window = (model.maxInputTokens() != null) ? model.maxInputTokens()
						: this.catalog.maxInputTokens(model.model()).orElse(0);
				runtimes.put(name,
						new ModelRuntime(model, provider, new ModelCircuit(name, model.provider(), clock, events), window));
			});
			Map<String, CompiledPolicy> compiled = new LinkedHashMap<>();
			this.policies.forEach((name, policy) -> compiled.put(name,
					new CompiledPolicy(policy, resolve(runtimes, name, "models", policy.models()),
							resolve(runtimes, name, "context-window-fallbacks", policy.contextWindowFallbacks()),
							resolve(runtimes, name, "content-policy-fallbacks", policy.contentPolicyFallbacks()))));
			boolean checksWindows = runtimes.values().stream().anyMatch((runtime) -> runtime.maxInputTokens > 0);
			// Load the tokenizer now, at start-up, rather than on a request's (non-blocking) thread.
			TokenEstimator tokens = checksWindows ? TokenEstimator.shared() : null;
			// NOOP itself, not isNoop(): a registry may get its handlers after the engine is built.
			RequestObservations observations = (this.observationRegistry == ObservationRegistry.NOOP) ? null
					: new RequestObservations(this.observationRegistry, this.observationConvention);
			return new FallbackEngine(Collections.unmodifiableMap(compiled), Collections.unmodifiableMap(runtimes),
					defaultPolicy, clock, events, tokens, observations);
		}

		private String resolveDefaultPolicy() {
			if (this.defaultPolicy == null) {
				if (this.policies.size() == 1) {
					return this.policies.keySet().iterator().next();
				}
				throw new FallbackConfigurationException("default-policy",
						"is not set and there are " + this.policies.size() + " policies",
						"Set llm.fallback.default-policy to one of: " + known(this.policies.keySet()));
			}
			if (!this.policies.containsKey(this.defaultPolicy)) {
				throw new FallbackConfigurationException("default-policy",
						"names policy '" + this.defaultPolicy + "', which is not configured",
						"Set it to one of: " + known(this.policies.keySet()));
			}
			return this.defaultPolicy;
		}

		private List<ModelRuntime> resolve(Map<String, ModelRuntime> runtimes, String policy, String property,
				List<String> names) {
			List<ModelRuntime> resolved = new ArrayList<>(names.size());
			for (int i = 0; i < names.size(); i++) {
				ModelRuntime runtime = runtimes.get(names.get(i));
				if (runtime == null) {
					throw new FallbackConfigurationException("policies." + policy + "." + property + "[" + i + "]",
							"names model '" + names.get(i) + "', which is not configured",
							"Configure llm.fallback.models." + names.get(i) + " or use one of: "
									+ known(runtimes.keySet()));
				}
				resolved.add(runtime);
			}
			return resolved;
		}

		private static String known(Collection<String> names) {
			return names.isEmpty() ? "(none configured)" : String.join(", ", names);
		}

	}

}
