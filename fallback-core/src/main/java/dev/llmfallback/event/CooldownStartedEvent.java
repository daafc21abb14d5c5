package dev.llmfallback.event;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.ErrorCategory;

/**
 * A model started cooling down: it is not called until {@code until}, then one trial request is
 * let through.
 *
 * @param model the configured model name
 * @param provider the configured provider name
 * @param reason the category of the failure that started it
 * @param duration how long it lasts
 * @param until when it ends
 * @param failedTrials how many half-open trials in a row failed before it (0 for a first cooldown)
 * @param deployment the deployment cooling down ({@code provider/model}; cooldowns are per
 * deployment), or {@code null} for an event built without one
 */
public record CooldownStartedEvent(String model, String provider, ErrorCategory reason, Duration duration,
		Instant until, int failedTrials, @Nullable String deployment) implements FallbackEvent {

	/** An event without its deployment (the constructor before deployments). */
	public CooldownStartedEvent(String model, String provider, ErrorCategory reason, Duration duration, Instant until,
			int failedTrials) {
		this(model, provider, reason, duration, until, failedTrials, null);
	}

}
