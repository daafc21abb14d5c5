package dev.llmfallback.state;

import java.time.Duration;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.policy.CooldownSpec;

/**
 * One circuit as the replicas share it. The replica's own circuit stays the one every request
 * asks; this tells the others what happened here, and its {@link Listener} applies what happened
 * there: a cooldown started on one replica is obeyed by all, failures count in one window across
 * replicas, and exactly one replica runs the half-open trial. Every method returns at once.
 */
public interface SharedCircuit {

	/**
	 * A failure that counts happened here while the circuit was closed. The shared window counts
	 * it; when it holds {@code spec.failures()}, every replica cools down.
	 * @param category the failure's category
	 * @param spec the calling policy's cooldown settings
	 */
	void failed(ErrorCategory category, CooldownSpec spec);

	/**
	 * A cooldown started here (or a failed trial started a longer one).
	 * @param reason the failure that started it
	 * @param duration how long it lasts from now
	 * @param failedTrials the half-open trials that failed in a row
	 */
	void opened(ErrorCategory reason, Duration duration, int failedTrials);

	/** The circuit closed here: its trial answered, or an operator reset it. */
	void closed();

	/**
	 * Asks for the half-open trial once this replica's cooldown is over. At most one replica holds
	 * it at a time, for a lease that expires, so a replica that dies mid-trial does not block recovery.
	 * @return {@code true} to run the trial now (this replica holds the lease, or the state is not
	 * shared now); {@code false} when the answer is on its way to the {@link Listener}
	 */
	boolean tryTrial();

	/** What the other replicas did to the circuit; called on the store's threads. */
	interface Listener {

		/**
		 * Another replica started a cooldown (or the shared failure window filled).
		 * @param reason the failure that started it
		 * @param remaining how long it still lasts
		 * @param failedTrials the half-open trials that failed in a row
		 */
		void openedElsewhere(ErrorCategory reason, Duration remaining, int failedTrials);

		/** Another replica closed the circuit: its trial answered, or an operator reset it. */
		void closedElsewhere();

		/** This replica holds the trial's lease: its next request may run the trial. */
		void trialGranted();

		/**
		 * Another replica runs the trial, or the shared cooldown lasts longer than this replica knew.
		 * @param retryIn when to ask again if no verdict has arrived by then
		 */
		void trialRefused(Duration retryIn);

	}

}
