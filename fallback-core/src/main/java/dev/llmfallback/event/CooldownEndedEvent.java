package dev.llmfallback.event;

/**
 * A model stopped cooling down.
 *
 * @param model the configured model name
 * @param provider the configured provider name
 * @param reason {@value #RECOVERED} when a call succeeded after the cooldown, {@value #RESET} when
 * an operator ended it
 */
public record CooldownEndedEvent(String model, String provider, String reason) implements FallbackEvent {

	public static final String RECOVERED = "recovered";

	public static final String RESET = "reset";

}
