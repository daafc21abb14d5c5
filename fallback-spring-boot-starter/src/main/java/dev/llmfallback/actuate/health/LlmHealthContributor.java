package dev.llmfallback.actuate.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.engine.ModelStatus;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.state.SharedState;

/**
 * The {@code llm} health contributor: one child per model and one per policy of a
 * {@link FallbackEngine}, so that {@code /actuator/health/llm/<name>} reports one of them.
 *
 * <p>A model is {@link #COOLING_DOWN} while the engine skips it (cooling down, or half-open
 * waiting for its trial request), {@link Status#UNKNOWN} before its first call, else
 * {@link Status#UP}. An authentication failure always starts a cooldown at once, so a model whose
 * key was refused is {@code COOLING_DOWN} until a trial request succeeds or an operator resets it.
 * A policy is {@code UP} while any model of its chain would be called, else {@code COOLING_DOWN}.
 *
 * <p>{@code COOLING_DOWN} is not in Spring Boot's default status order, so status aggregation
 * ignores it: the {@code llm} composite and the application stay {@code UP}, and the health
 * endpoint answers HTTP 200, while a provider is out (an outage there must not get the
 * application restarted). In strict mode those statuses are {@link Status#DOWN} instead.
 *
 * <p>Children are named after the models and policies. A model keeps its name; a policy named
 * like a model is reported as {@code <name>-policy}. A {@code '/'} in a name, which would split
 * the endpoint path, becomes {@code '_'}. Each child's details name the model or policy it
 * reports.
 */
public final class LlmHealthContributor implements CompositeHealthContributor {

	/** A model the engine skips for now, or a policy whose every model it skips. */
	public static final Status COOLING_DOWN = new Status("COOLING_DOWN");

	private final Map<String, HealthIndicator> children;

	/**
	 * Creates a contributor reporting the engine's models and policies.
	 * @param engine the engine
	 * @param strict whether a cooling model or policy reports {@link Status#DOWN} instead of
	 * {@link #COOLING_DOWN}
	 */
	public LlmHealthContributor(FallbackEngine engine, boolean strict) {
		this(engine, strict, null);
	}

	/**
	 * Creates a contributor reporting the engine's models and policies and, with shared state, a
	 * child {@code state} whose detail {@code state} is {@code redis} while the replicas share their
	 * state and {@code local} while Redis is unreachable (status {@code UP} either way: each replica
	 * then runs on its own state, which is no outage).
	 * @param engine the engine
	 * @param strict whether a cooling model or policy reports {@link Status#DOWN} instead of
	 * {@link #COOLING_DOWN}
	 * @param sharedState the state shared by the replicas, or {@code null} where it is local
	 */
	public LlmHealthContributor(FallbackEngine engine, boolean strict, @Nullable SharedState sharedState) {
		Objects.requireNonNull(engine, "engine");
		Status cooling = strict ? Status.DOWN : COOLING_DOWN;
		Map<String, HealthIndicator> children = new LinkedHashMap<>();
		engine.models().forEach((name, model) -> children.put(uniqueName(children, name, "model"),
				new ModelHealthIndicator(engine, name, cooling)));
		engine.policies().forEach((name, policy) -> children.put(uniqueName(children, name, "policy"),
				new PolicyHealthIndicator(engine, policy, cooling)));
		if (sharedState != null) {
			children.put(uniqueName(children, "state", "store"), () -> Health.up()
				.withDetail("store", "redis")
				.withDetail("state", sharedState.connected() ? "redis" : "local")
				.build());
		}
		this.children = Collections.unmodifiableMap(children);
	}

	private static String uniqueName(Map<String, ?> taken, String name, String kind) {
		String base = name.replace('/', '_');
		String candidate = taken.containsKey(base) ? base + "-" + kind : base;
		for (int i = 2; taken.containsKey(candidate); i++) {
			candidate = base + "-" + kind + "-" + i;
		}
		return candidate;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return this.children.get(name);
	}

	@Override
	public Stream<Entry> stream() {
		return this.children.entrySet().stream().map((child) -> new Entry(child.getKey(), child.getValue()));
	}

	/** One model's health, from the engine's snapshot of its cooldown state. */
	static final class ModelHealthIndicator implements HealthIndicator {

		private final FallbackEngine engine;

		private final String model;

		private final Status cooling;

		ModelHealthIndicator(FallbackEngine engine, String model, Status cooling) {
			this.engine = engine;
			this.model = model;
			this.cooling = cooling;
		}

		@Override
		public Health health() {
			ModelStatus status = this.engine.modelStatus(this.model);
			Health.Builder health = Health.status(status(status))
				.withDetail("model", status.model())
				.withDetail("provider", status.provider())
				.withDetail("state", status.state().name())
				.withDetail("available", status.available())
				.withDetail("failuresInWindow", status.failuresInWindow())
				.withDetail("failedTrials", status.failedTrials());
			if (status.lastError() != null) {
				// The engine sets a last error and its time together.
				health.withDetail("lastError", status.lastError().id())
					.withDetail("lastErrorAt", Objects.requireNonNull(status.lastErrorAt()).toString());
			}
			if (status.cooldownReason() != null) {
				health.withDetail("cooldownReason", status.cooldownReason().id());
			}
			if (status.cooldownUntil() != null) {
				health.withDetail("cooldownUntil", status.cooldownUntil().toString());
			}
			if (!status.deployments().isEmpty()) {
				Map<String, Object> deployments = new LinkedHashMap<>();
				for (ModelStatus deployment : status.deployments()) {
					Map<String, Object> detail = new LinkedHashMap<>();
					detail.put("provider", deployment.provider());
					detail.put("state", deployment.state().name());
					detail.put("available", deployment.available());
					if (deployment.lastError() != null) {
						detail.put("lastError", deployment.lastError().id());
					}
					if (deployment.cooldownUntil() != null) {
						detail.put("cooldownUntil", deployment.cooldownUntil().toString());
					}
					deployments.put(deployment.deployment(), detail);
				}
				health.withDetail("deployments", deployments);
			}
			return health.build();
		}

		private Status status(ModelStatus status) {
			if (status.state() != ModelStatus.State.AVAILABLE) {
				// Cooling down, or half-open: no ordinary request reaches it.
				return this.cooling;
			}
			return status.called() ? Status.UP : Status.UNKNOWN;
		}

	}

	/** One policy's health: whether any model of its chain would be called now. */
	static final class PolicyHealthIndicator implements HealthIndicator {

		private final FallbackEngine engine;

		private final FallbackPolicy policy;

		private final Status cooling;

		PolicyHealthIndicator(FallbackEngine engine, FallbackPolicy policy, Status cooling) {
			this.engine = engine;
			this.policy = policy;
			this.cooling = cooling;
		}

		@Override
		public Health health() {
			boolean available = false;
			Map<String, String> chain = new LinkedHashMap<>();
			for (String model : this.policy.models()) {
				ModelStatus status = this.engine.modelStatus(model);
				available |= status.available();
				chain.put(model, status.state().name());
			}
			return Health.status(available ? Status.UP : this.cooling)
				.withDetail("policy", this.policy.name())
				.withDetail("default", this.policy.name().equals(this.engine.defaultPolicy()))
				.withDetail("chain", chain)
				.build();
		}

	}

}
