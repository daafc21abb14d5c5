package dev.llmfallback.actuate.endpoint;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.engine.ModelStatus;
import dev.llmfallback.policy.FallbackPolicy;

/**
 * The {@code fallbacks} endpoint, read-only: every policy's chain with each model's cooldown
 * state, and the most recent hops ({@code GET /actuator/fallbacks}); one policy
 * ({@code GET /actuator/fallbacks/{policy}}, 404 for an unknown one). It shows the engine's state
 * only, never provider settings or keys. {@link ResettableFallbacksEndpoint} adds the operation that
 * ends a model's cooldown.
 *
 * <p>Like any endpoint other than {@code health}, it is served over HTTP only once exposed:
 * {@code management.endpoints.web.exposure.include=health,fallbacks}.
 */
@Endpoint(id = "fallbacks")
public class FallbacksEndpoint {

	private final FallbackEngine engine;

	private final RecentHops recentHops;

	private final RecentOutcomes recentOutcomes;

	private final Clock clock;

	/**
	 * Creates the endpoint without per-model outcomes ({@code recentOutcomes} lists none).
	 * @param engine the engine whose state it shows
	 * @param recentHops the hops it shows, which should be a listener of that engine
	 */
	public FallbacksEndpoint(FallbackEngine engine, RecentHops recentHops) {
		this(engine, recentHops, new RecentOutcomes(0), Clock.systemUTC());
	}

	/**
	 * Creates the endpoint.
	 * @param engine the engine whose state it shows
	 * @param recentHops the hops it shows, which should be a listener of that engine
	 * @param recentOutcomes each model's recent outcomes it shows, which should be a listener of that
	 * engine too
	 * @param clock the clock whose time each answer carries as {@code now}, so that a client can
	 * show a cooldown's end as time left without trusting its own clock
	 */
	public FallbacksEndpoint(FallbackEngine engine, RecentHops recentHops, RecentOutcomes recentOutcomes,
			Clock clock) {
		this.engine = Objects.requireNonNull(engine, "engine");
		this.recentHops = Objects.requireNonNull(recentHops, "recentHops");
		this.recentOutcomes = Objects.requireNonNull(recentOutcomes, "recentOutcomes");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * @return every policy, in configuration order, the recent hops, newest first, and each model's
	 * recent outcomes, newest first
	 */
	@ReadOperation
	public FallbacksDescriptor fallbacks() {
		Map<String, PolicyDescriptor> policies = new LinkedHashMap<>();
		this.engine.policies().forEach((name, policy) -> policies.put(name, describe(policy)));
		return new FallbacksDescriptor(this.engine.defaultPolicy(), policies, this.recentHops.newestFirst(),
				this.recentOutcomes.newestFirst(this.engine.models().keySet()), this.clock.instant());
	}

	/**
	 * One policy.
	 * @param policy the policy's name
	 * @return the policy, or {@code null} (404) for an unknown one
	 */
	@ReadOperation
	public @Nullable PolicyDescriptor policy(@Selector String policy) {
		FallbackPolicy found = this.engine.policies().get(policy);
		return (found != null) ? describe(found) : null;
	}

	/** @return the engine whose state this endpoint shows */
	protected final FallbackEngine getEngine() {
		return this.engine;
	}

	private PolicyDescriptor describe(FallbackPolicy policy) {
		List<ModelDescriptor> models = new ArrayList<>(policy.models().size());
		boolean available = false;
		for (String model : policy.models()) {
			ModelStatus status = this.engine.modelStatus(model);
			available |= status.available();
			models.add(ModelDescriptor.of(status));
		}
		return new PolicyDescriptor(policy.name(), policy.name().equals(this.engine.defaultPolicy()), available, models,
				policy.contextWindowFallbacks(), policy.contentPolicyFallbacks());
	}

	/**
	 * Every policy, the recent hops and each model's recent outcomes.
	 *
	 * @param defaultPolicy the policy used when a request names none
	 * @param policies every policy by name, in configuration order
	 * @param recentHops the most recent hops, newest first
	 * @param recentOutcomes every configured model's most recent calls and skips, newest first, by
	 * model name in configuration order
	 * @param now the server's time when this answer was made (a cooldown's time left is
	 * {@code cooldownUntil - now})
	 */
	public record FallbacksDescriptor(String defaultPolicy, Map<String, PolicyDescriptor> policies,
			List<RecentHops.Hop> recentHops, Map<String, List<RecentOutcomes.Outcome>> recentOutcomes, Instant now)
			implements OperationResponseBody {
	}

	/**
	 * One policy's chain.
	 *
	 * @param name the policy's name
	 * @param isDefault whether it is the default policy
	 * @param available whether any model of its chain would be called now
	 * @param models its chain, in order, with each model's state
	 * @param contextWindowFallbacks the models it tries when a prompt is too long, by name
	 * @param contentPolicyFallbacks the models it tries when content is refused, by name
	 */
	public record PolicyDescriptor(String name, boolean isDefault, boolean available, List<ModelDescriptor> models,
			List<String> contextWindowFallbacks, List<String> contentPolicyFallbacks) implements OperationResponseBody {
	}

	/**
	 * One model's cooldown state, as {@link ModelStatus} holds it.
	 *
	 * @param model the configured model name
	 * @param provider the configured provider name
	 * @param state {@code AVAILABLE}, {@code COOLING_DOWN} or {@code HALF_OPEN}
	 * @param available whether a request arriving now would call it
	 * @param called whether it has been called since start-up
	 * @param lastError the category of its last failure that counts toward cooldowns, or {@code null}
	 * @param lastErrorAt when that failure happened, or {@code null}
	 * @param failuresInWindow failures within the cooldown window that count toward the threshold
	 * @param cooldownReason the category that started the current cooldown, or {@code null}
	 * @param cooldownUntil when the current cooldown ends, or {@code null}
	 * @param failedTrials half-open trials that failed in a row
	 * @param deployment for a deployment's state, its {@code provider/model}; else {@code null}
	 * @param deployments for a model that lists deployments, each one's state (the model's own is
	 * its best deployment's); else {@code null}
	 */
	public record ModelDescriptor(String model, String provider, String state, boolean available, boolean called,
			@Nullable String lastError, @Nullable Instant lastErrorAt, int failuresInWindow,
			@Nullable String cooldownReason, @Nullable Instant cooldownUntil, int failedTrials,
			@Nullable String deployment, @Nullable List<ModelDescriptor> deployments) implements OperationResponseBody {

		static ModelDescriptor of(ModelStatus status) {
			return new ModelDescriptor(status.model(), status.provider(), status.state().name(), status.available(),
					status.called(), id(status.lastError()), status.lastErrorAt(), status.failuresInWindow(),
					id(status.cooldownReason()), status.cooldownUntil(), status.failedTrials(), status.deployment(),
					status.deployments().isEmpty() ? null
							: status.deployments().stream().map(ModelDescriptor::of).toList());
		}

		private static @Nullable String id(@Nullable ErrorCategory category) {
			return (category != null) ? category.id() : null;
		}

	}

}
