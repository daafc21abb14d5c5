package dev.llmfallback.event;

import java.util.Objects;

/**
 * A request was hedged: a second call started while the first had not answered, and one of them
 * answered first (the other was cancelled). Told only when a hedged request is served.
 *
 * @param policy the policy being walked
 * @param model the model whose call was hedged (the slow one)
 * @param winner {@value #PRIMARY} when the hedged call answered first, {@value #HEDGE} when the hedge did
 */
public record HedgeEvent(String policy, String model, String winner) implements FallbackEvent {

	/** The hedged call answered first. */
	public static final String PRIMARY = "primary";

	/** The hedge answered first. */
	public static final String HEDGE = "hedge";

	public HedgeEvent {
		Objects.requireNonNull(policy, "policy");
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(winner, "winner");
	}

}
