package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

import dev.llmfallback.event.FallbackEventListener;
import dev.llmfallback.observation.FallbackObservationConvention;
import dev.llmfallback.policy.Capability;
import dev.llmfallback.policy.DeploymentDefinition;
import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelCatalog;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.policy.Routing;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.EmbeddingProvider;

/**
 * Turns what a {@link FallbackEngine.Builder} collected into a running engine: checks that every
 * name resolves, joins each model with its provider, window, capabilities and circuit, compiles
 * each policy once, and warns about settings that make part of a chain unreachable.
 */
final class EngineAssembly {

	private static final Log logger = LogFactory.getLog(FallbackEngine.class);

	private final Map<String, ChatProvider> providers;

	private final Map<String, ModelDefinition> models;

	private final Map<String, FallbackPolicy> policies;

	private final List<FallbackEventListener> listeners;

	private final @Nullable String defaultPolicy;

	private final @Nullable String defaultEmbeddingPolicy;

	private final ModelCatalog catalog;

	private final @Nullable Scheduler scheduler;

	private final ObservationRegistry observationRegistry;

	private final @Nullable FallbackObservationConvention observationConvention;

	private final boolean eventLog;

	private @Nullable RandomGenerator random;

	/** Where the state that requests and, where shared, replicas share lives. */
	private StateStore store = StateStore.local();

	EngineAssembly(Map<String, ChatProvider> providers, Map<String, ModelDefinition> models,
			Map<String, FallbackPolicy> policies, List<FallbackEventListener> listeners, @Nullable String defaultPolicy,
			@Nullable String defaultEmbeddingPolicy, ModelCatalog catalog, @Nullable Scheduler scheduler, ObservationRegistry observationRegistry,
			@Nullable FallbackObservationConvention observationConvention, boolean eventLog) {
		this.providers = providers;
		this.models = models;
		this.policies = policies;
		this.listeners = listeners;
		this.defaultPolicy = defaultPolicy;
		this.defaultEmbeddingPolicy = defaultEmbeddingPolicy;
		this.catalog = catalog;
		this.scheduler = scheduler;
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
		this.eventLog = eventLog;
	}

	/** Sets the generator of weighted routing ({@code null}: each thread's own). */
	EngineAssembly random(@Nullable RandomGenerator random) {
		this.random = random;
		return this;
	}

	/** Sets where circuits, usage, latency figures and hedge budgets live (by default this JVM). */
	EngineAssembly store(StateStore store) {
		this.store = store;
		return this;
	}

	FallbackEngine build() {
		if (this.policies.isEmpty()) {
			throw new FallbackConfigurationException("policies", "no policy is configured",
					"Add at least one policy with a chain of models under llm.fallback.policies");
		}
		String defaultPolicy = resolveDefaultPolicy();
		EngineClock clock = (this.scheduler != null) ? EngineClock.of(this.scheduler) : EngineClock.system();
		EventPublisher events = new EventPublisher(this.listeners, this.eventLog ? new EventLog(clock) : null);
		Map<String, ModelRuntime> runtimes = runtimes(clock, events);
		Map<String, CompiledPolicy> compiled = new LinkedHashMap<>();
		this.policies.forEach((name, policy) -> {
			CompiledPolicy compiledPolicy = new CompiledPolicy(policy, resolve(runtimes, name, "models", policy.models()),
					resolve(runtimes, name, "context-window-fallbacks", policy.contextWindowFallbacks()),
					resolve(runtimes, name, "content-policy-fallbacks", policy.contentPolicyFallbacks()), this.store,
					this.random);
			trackDeployments(compiledPolicy);
			EmbeddingChecks.checkPolicy(compiledPolicy);
			compiled.put(name, compiledPolicy);
			warnIfUnreachable(policy);
		});
		String defaultEmbeddingPolicy = EmbeddingChecks.defaultEmbeddingPolicy(this.defaultEmbeddingPolicy, compiled);
		boolean checksWindows = runtimes.values().stream().anyMatch((runtime) -> runtime.maxInputTokens() > 0);
		// Load the tokenizer now, at start-up, rather than on a request's (non-blocking) thread.
		TokenEstimator tokens = checksWindows ? TokenEstimator.shared() : null;
		// NOOP itself, not isNoop(): a registry may get its handlers after the engine is built.
		RequestObservations observations = (this.observationRegistry == ObservationRegistry.NOOP) ? null
				: new RequestObservations(this.observationRegistry, this.observationConvention);
		WalkContext context = new WalkContext(clock, events, tokens);
		return new FallbackEngine(Collections.unmodifiableMap(compiled), defaultPolicy,
				new ModelStatuses(Collections.unmodifiableMap(runtimes), clock),
				new ChatCallDriver(context, observations), new ChatStreamDriver(context, observations),
				new EmbeddingCallDriver(context, observations), defaultEmbeddingPolicy);
	}

	private Map<String, ModelRuntime> runtimes(EngineClock clock, EventPublisher events) {
		Map<String, ModelRuntime> runtimes = new LinkedHashMap<>();
		this.models.forEach((name, model) -> {
			// A model's deployments are checked first: the model's own provider defaults to the first one's.
			Deployment[] deployments = model.deployments().isEmpty() ? null : deployments(model, clock, events);
			ChatProvider provider = this.providers.get(model.provider());
			if (provider == null) {
				throw new FallbackConfigurationException("models." + name + ".provider",
						"names provider '" + model.provider() + "', which is not configured",
						"Configure llm.fallback.providers." + model.provider() + " or use one of: "
								+ known(this.providers.keySet()));
			}
			int window = (model.maxInputTokens() != null) ? model.maxInputTokens()
					: this.catalog.maxInputTokens(model.model()).orElse(0);
			Set<Capability> capabilities = (model.capabilities() != null) ? model.capabilities()
					: ModelCatalog.builtIn().capabilities(model.model());
			ModelCircuit circuit = new ModelCircuit(name, model.provider(), model.provider() + "/" + model.model(), clock,
					events);
			this.store.share(circuit, name);
			ModelRuntime runtime = new ModelRuntime(model, provider, circuit, window, capabilities, runtimes.size());
			if (model.type() == ModelType.EMBEDDING) {
				EmbeddingChecks.resolveDimensions(runtime, this.catalog);
			}
			if (deployments != null) {
				runtime.deployments(deployments);
			}
			runtimes.put(name, runtime);
		});
		return runtimes;
	}

	/** The deployments a model lists, each with its own circuit and, with limits, its usage window. */
	private Deployment[] deployments(ModelDefinition model, EngineClock clock, EventPublisher events) {
		String property = "models." + model.name() + ".deployments";
		if (model.type() == ModelType.EMBEDDING) {
			throw new FallbackConfigurationException(property, "is set on an embedding model",
					"Remove it: embedding models are served by their provider alone (vectors of two "
							+ "deployments could differ)");
		}
		List<DeploymentDefinition> definitions = model.deployments();
		if (definitions.size() > 64) {
			throw new FallbackConfigurationException(property, "lists " + definitions.size() + " deployments",
					"List at most 64");
		}
		Deployment[] deployments = new Deployment[definitions.size()];
		for (int i = 0; i < deployments.length; i++) {
			DeploymentDefinition definition = definitions.get(i);
			ChatProvider provider = this.providers.get(definition.provider());
			if (provider == null) {
				throw new FallbackConfigurationException(property + "[" + i + "].provider",
						"names provider '" + definition.provider() + "', which is not configured",
						"Configure llm.fallback.providers." + definition.provider() + " or use one of: "
								+ known(this.providers.keySet()));
			}
			UsageWindow usage = (definition.rpm() != null || definition.tpm() != null)
					? this.store.usage(model.name() + "@" + definition.name(), definition.rpm(), definition.tpm())
					: null;
			ModelCircuit circuit = new ModelCircuit(model.name(), definition.provider(), definition.name(), clock, events);
			this.store.share(circuit, model.name() + "@" + definition.name());
			deployments[i] = new Deployment(definition.name(), definition.provider(), provider, definition.model(),
					definition.weight(), circuit, i, usage);
		}
		return deployments;
	}

	/** Latency figures and in-flight counts cost a little per call: kept only where a policy reads them. */
	private void trackDeployments(CompiledPolicy policy) {
		Routing routing = policy.policy().routing();
		Hedge hedge = policy.hedge();
		boolean latency = routing == Routing.LOWEST_LATENCY || (hedge != null && hedge.needsLatency());
		boolean inFlight = routing == Routing.LEAST_BUSY;
		if (!latency && !inFlight) {
			return;
		}
		for (List<ModelRuntime> models : List.of(policy.chain(), policy.contextWindowFallbacks(),
				policy.contentPolicyFallbacks())) {
			for (ModelRuntime model : models) {
				for (Deployment deployment : model.deployments()) {
					deployment.track(latency, inFlight, this.store, model.name() + "@" + deployment.name());
				}
			}
		}
	}

	/** An explicit max-attempts below the models a policy can reach leaves the last ones unreachable. */
	private static void warnIfUnreachable(FallbackPolicy policy) {
		List<String> reachable = policy.reachableModels();
		if (policy.maxAttemptsSet() && policy.maxAttempts() < reachable.size() && logger.isWarnEnabled()) {
			logger.warn("Policy '" + policy.name() + "' sets max-attempts to " + policy.maxAttempts() + " but can reach "
					+ reachable.size() + " models, so it can never reach: "
					+ String.join(", ", reachable.subList(policy.maxAttempts(), reachable.size()))
					+ ". Raise llm.fallback.policies." + policy.name() + ".max-attempts to at least " + reachable.size()
					+ ", or remove it (the default is " + FallbackPolicy.DEFAULT_MAX_ATTEMPTS
					+ " or the number of reachable models, whichever is larger)");
		}
	}

	private String resolveDefaultPolicy() {
		// Embedding policies are not candidates for the chat default, unless there is nothing else.
		List<String> chat = new ArrayList<>();
		this.policies.forEach((name, policy) -> {
			ModelDefinition first = policy.models().isEmpty() ? null : this.models.get(policy.models().get(0));
			if (first == null || first.type() != ModelType.EMBEDDING) {
				chat.add(name);
			}
		});
		if (this.defaultPolicy != null && this.policies.containsKey(this.defaultPolicy) && !chat.isEmpty()
				&& !chat.contains(this.defaultPolicy)) {
			throw new FallbackConfigurationException("default-policy",
					"names policy '" + this.defaultPolicy + "', whose models are embedding models",
					"Set it to a chat policy (" + known(chat) + "), and name the embedding policy in "
							+ "llm.fallback.default-embedding-policy");
		}
		if (this.defaultPolicy == null) {
			List<String> candidates = chat.isEmpty() ? new ArrayList<>(this.policies.keySet()) : chat;
			if (candidates.size() == 1) {
				return candidates.get(0);
			}
			throw new FallbackConfigurationException("default-policy",
					"is not set and there are " + candidates.size() + " policies",
					"Set llm.fallback.default-policy to one of: " + known(candidates));
		}
		if (!this.policies.containsKey(this.defaultPolicy)) {
			throw new FallbackConfigurationException("default-policy",
					"names policy '" + this.defaultPolicy + "', which is not configured",
					"Set it to one of: " + known(this.policies.keySet()));
		}
		return this.defaultPolicy;
	}

	private static List<ModelRuntime> resolve(Map<String, ModelRuntime> runtimes, String policy, String property,
			List<String> names) {
		List<ModelRuntime> resolved = new ArrayList<>(names.size());
		for (int i = 0; i < names.size(); i++) {
			ModelRuntime runtime = runtimes.get(names.get(i));
			if (runtime == null) {
				throw new FallbackConfigurationException("policies." + policy + "." + property + "[" + i + "]",
						"names model '" + names.get(i) + "', which is not configured",
						"Configure llm.fallback.models." + names.get(i) + " or use one of: " + known(runtimes.keySet()));
			}
			resolved.add(runtime);
		}
		return resolved;
	}

	private static String known(Collection<String> names) {
		return names.isEmpty() ? "(none configured)" : String.join(", ", names);
	}

}
