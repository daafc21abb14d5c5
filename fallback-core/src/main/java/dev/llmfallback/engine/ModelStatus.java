package dev.llmfallback.engine;

import java.time.Instant;
import java.util.List;

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
 * @param deployment the deployment this status is of ({@code provider/model}), or {@code null} for a
 * model's own status
 * @param deployments for a model that lists deployments, each one's status (the model's own is
 * that of its best deployment: available if any is); empty otherwise
 */
public record ModelStatus(String model, String provider, State state, boolean available, boolean called,
		@Nullable ErrorCategory lastError, @Nullable Instant lastErrorAt, int failuresInWindow, @Nullable ErrorCategory cooldownReason,
		@Nullable Instant cooldownUntil, int failedTrials, @Nullable String deployment, List<ModelStatus> deployments) {

	public ModelStatus {
		deployments = List.copyOf(deployments);
	}

	/** A status without deployments (the constructor before deployments). */
	public ModelStatus(String model, String provider, State state, boolean available, boolean called,
			@Nullable ErrorCategory lastError, @Nullable Instant lastErrorAt, int failuresInWindow,
			@Nullable ErrorCategory cooldownReason, @Nullable Instant cooldownUntil, int failedTrials) {
		this(model, provider, state, available, called, lastError, lastErrorAt, failuresInWindow, cooldownReason,
				cooldownUntil, failedTrials, null, List.of());
	}

	/** @return this status as the status of a deployment */
	ModelStatus ofDeployment(String name) {
		return new ModelStatus(this.model, this.provider, this.state, this.available, this.called, this.lastError,
				this.lastErrorAt, this.failuresInWindow, this.cooldownReason, this.cooldownUntil, this.failedTrials,
				name, List.of());
	}

	/**
	 * A model's status from its deployments': that of the best one (available, else half-open, else
	 * the one whose cooldown ends first), under the model's provider, with every deployment's listed.
	 */
	static ModelStatus ofModel(String model, String provider, List<ModelStatus> deployments) {
		ModelStatus best = deployments.get(0);
		boolean called = false;
		for (ModelStatus status : deployments) {
			called |= status.called;
			if (rank(status) < rank(best) || (rank(status) == rank(best) && status.cooldownUntil != null
					&& best.cooldownUntil != null && status.cooldownUntil.isBefore(best.cooldownUntil))) {
				best = status;
			}
		}
		return new ModelStatus(model, provider, best.state, best.available, called, best.lastError, best.lastErrorAt,
				best.failuresInWindow, best.cooldownReason, best.cooldownUntil, best.failedTrials, null, deployments);
	}

	private static int rank(ModelStatus status) {
		if (status.state == State.AVAILABLE) {
			return 0;
		}
		return (status.state == State.HALF_OPEN) ? (status.available ? 1 : 2) : 3;
	}

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
