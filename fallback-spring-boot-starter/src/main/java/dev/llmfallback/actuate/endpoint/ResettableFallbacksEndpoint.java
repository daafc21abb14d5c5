package dev.llmfallback.actuate.endpoint;

import java.time.Clock;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.llmfallback.engine.FallbackEngine;

/**
 * The {@code fallbacks} endpoint with its admin operation: {@code POST /actuator/fallbacks/{model}}
 * with {@code {"action":"reset"}} ends that model's cooldown at once, as an operator would after
 * fixing a key or once a provider is back. An unknown model or action is a bad request (400).
 *
 * <p>This operation changes how every request is routed: expose it only to administrators
 * (secure {@code /actuator/fallbacks} as any actuator write), or switch it off with
 * {@code llm.fallback.endpoint.reset-enabled=false}, which configures the read-only
 * {@link FallbacksEndpoint} instead. Boot grants write access to endpoints by default; where
 * {@code management.endpoints.access.default} (or {@code max-permitted}) is {@code read-only},
 * allow it with {@code management.endpoint.fallbacks.access=unrestricted}.
 */
@Endpoint(id = "fallbacks")
public class ResettableFallbacksEndpoint extends FallbacksEndpoint {

	/** The action that ends a cooldown. */
	public static final String RESET = "reset";

	/**
	 * Creates the endpoint.
	 * @param engine the engine whose state it shows and resets
	 * @param recentHops the hops it shows, which should be a listener of that engine
	 */
	public ResettableFallbacksEndpoint(FallbackEngine engine, RecentHops recentHops) {
		super(engine, recentHops);
	}

	/**
	 * Creates the endpoint.
	 * @param engine the engine whose state it shows and resets
	 * @param recentHops the hops it shows, which should be a listener of that engine
	 * @param recentOutcomes each model's recent outcomes it shows, a listener of that engine too
	 * @param clock the clock whose time each answer carries as {@code now}
	 */
	public ResettableFallbacksEndpoint(FallbackEngine engine, RecentHops recentHops, RecentOutcomes recentOutcomes,
			Clock clock) {
		super(engine, recentHops, recentOutcomes, clock);
	}

	/**
	 * Acts on one model.
	 * @param model the model's name
	 * @param action {@value #RESET}: end its cooldown
	 * @return what was done, and the model's state now
	 * @throws InvalidEndpointRequestException (400) for an unknown model or action
	 */
	@WriteOperation
	public ResetDescriptor act(@Selector String model, String action) {
		FallbackEngine engine = getEngine();
		if (!engine.models().containsKey(model)) {
			throw new InvalidEndpointRequestException(
					"Unknown model '" + model + "'; configured models: " + String.join(", ", engine.models().keySet()),
					"Unknown model");
		}
		if (!RESET.equals(action)) {
			throw new InvalidEndpointRequestException(
					"Unknown action '" + action + "' for model '" + model + "'; the only action is '" + RESET + "'",
					"Unknown action");
		}
		boolean wasCoolingDown = engine.resetCooldown(model);
		return new ResetDescriptor(model, RESET, wasCoolingDown,
				ModelDescriptor.of(engine.modelStatus(model)));
	}

	/**
	 * What a reset did.
	 *
	 * @param model the model's name
	 * @param action the action done
	 * @param wasCoolingDown whether it was cooling down or half-open (otherwise there was nothing
	 * to end)
	 * @param status its state after the reset
	 */
	public record ResetDescriptor(String model, String action, boolean wasCoolingDown, ModelDescriptor status)
			implements OperationResponseBody {
	}

}
