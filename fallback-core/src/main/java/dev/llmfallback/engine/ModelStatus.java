package dev.llmfallback.engine;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.ErrorCategory;

/**
 * A snapshot of one model's health as the engine sees it.
 *
 * @param model the configured model name
 * @param provider the configured provider name
 * @param state available, cooling down, or half-open (cooldown over, a trial request due or in flight)
 * @param available whether a request arriving now would call it
 * @param called whether it has been called at all since start-up
 * @param lastError the category of its last failure that counts toward cooldowns, or {@code null}
 * @param lastErrorAt when that failure happened, or {@code null}
 * @param failuresInWindow failures within the cooldown window that count toward the threshold
 * @param cooldownReason the category that started the current cooldown, or {@code null}
 * @param cooldownUntil when the current cooldown ends, or {@code null} when it is not cooling down
 * @param failedTrials half-open trials that failed in a row (each doubles the next cooldown)
 */
public record ModelStatus(String model, String provider, State state, boolean available, boolean called,
		@Nullable ErrorCategory lastError, @Nullable Instant lastErrorAt, int failuresInWindow, @Nullable ErrorCategory cooldownReason,
		@Nullable Instant cooldownUntil, int failedTrials) {

	/** Where a model stands in its cooldown cycle. */
	public enum State {

		/** Called as usual. */
		AVAILABLE,

		/** Skipped until its cooldown ends. */
		COOLING_DOWN,

		/** Its cooldown ended: the next request is a trial, or a trial is in flight. */
		HALF_OPEN

	}

}
