package dev.llmfallback.event;

/**
 * The walk moved from one model to the next.
 *
 * @param policy the policy being walked
 * @param from the model left
 * @param to the model reached (it may be skipped in turn)
 * @param reason the category of the failure that caused the hop ({@code rate_limit}, ...), or
 * {@code cooldown} when {@code from} was skipped because it was cooling down, or
 * {@code context_window_exceeded} when the prompt did not fit {@code from}
 */
public record HopEvent(String policy, String from, String to, String reason) implements FallbackEvent {

	/** The reason of a hop past a model that was cooling down. */
	public static final String COOLDOWN = "cooldown";

}
