package dev.llmfallback.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.engine.ModelCircuit.Admission;
import dev.llmfallback.event.CooldownEndedEvent;
import dev.llmfallback.event.CooldownStartedEvent;
import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.state.SharedCircuit;
import dev.llmfallback.state.SharedLatency;
import dev.llmfallback.state.SharedState;
import dev.llmfallback.state.SharedUsage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A circuit linked to the other replicas, in virtual time: what it tells them, what it takes from
 * them, and the trial's lease. The store is a recording stand-in; the real one is tested against a
 * Redis server in the starter.
 */
class SharedCircuitTests {

	private static final CooldownSpec THREE_IN_A_MINUTE = CooldownSpec.builder()
		.failures(3)
		.window(Duration.ofMinutes(1))
		.duration(Duration.ofSeconds(30))
		.build();

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final EngineClock clock = EngineClock.of(this.time);

	private final List<FallbackEvent> events = new ArrayList<>();

	private final ModelCircuit circuit = new ModelCircuit("primary", "p", this.clock,
			new EventPublisher(List.of(this.events::add), null));

	private final RecordingState replicas = new RecordingState();

	SharedCircuitTests() {
		this.circuit.share(this.replicas, "primary");
	}

	private void fail(ErrorCategory category, boolean trial) {
		this.circuit.onFailure(LlmException.builder(category).build(), trial, THREE_IN_A_MINUTE, Duration.ofSeconds(60),
				this.clock.nanoTime());
	}

	private Admission acquire() {
		return this.circuit.tryAcquire(this.clock.nanoTime());
	}

	@Test
	void failuresBelowTheThresholdAreCountedByTheOthersAndAnOpenIsToldWithItsDuration() {
		fail(ErrorCategory.SERVER_ERROR, false);
		fail(ErrorCategory.SERVER_ERROR, false);
		assertThat(this.replicas.told).containsExactly("failed server_error", "failed server_error");
		fail(ErrorCategory.SERVER_ERROR, false);
		assertThat(this.replicas.told).last().isEqualTo("opened server_error PT30S 0");
	}

	@Test
	void theCooldownEndsOnlyForTheReplicaHoldingTheLease() {
		fail(ErrorCategory.AUTHENTICATION, false);
		this.time.advanceTimeBy(Duration.ofSeconds(31));
		// Over here, but the lease is asked for, not taken: the model is skipped meanwhile.
		assertThat(acquire()).isEqualTo(Admission.COOLING);
		assertThat(this.replicas.trialsAsked).isEqualTo(1);
		this.replicas.listener.trialGranted();
		assertThat(acquire()).isEqualTo(Admission.TRIAL);
		assertThat(acquire()).as("one trial at a time").isEqualTo(Admission.COOLING);
		this.circuit.onSuccess(true);
		assertThat(this.replicas.told).last().isEqualTo("closed");
		assertThat(acquire()).isEqualTo(Admission.AVAILABLE);
	}

	@Test
	void aRefusedLeaseWaitsForTheOthersVerdictUntilItIsAskedAgain() {
		fail(ErrorCategory.AUTHENTICATION, false);
		this.time.advanceTimeBy(Duration.ofSeconds(31));
		assertThat(acquire()).isEqualTo(Admission.COOLING);
		this.replicas.listener.trialRefused(Duration.ofSeconds(5));
		this.time.advanceTimeBy(Duration.ofSeconds(4));
		assertThat(acquire()).isEqualTo(Admission.COOLING);
		assertThat(this.replicas.trialsAsked).isEqualTo(1);
		assertThat(this.circuit.status(this.clock.nanoTime()).cooldownUntil())
			.isEqualTo(this.clock.instantAt(this.clock.nanoTime()).plusSeconds(1));
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(acquire()).isEqualTo(Admission.COOLING);
		assertThat(this.replicas.trialsAsked).isEqualTo(2);
		// The other replica's trial answered: closed here too.
		this.replicas.listener.closedElsewhere();
		assertThat(acquire()).isEqualTo(Admission.AVAILABLE);
		assertThat(this.events).last().isInstanceOfSatisfying(CooldownEndedEvent.class,
				(ended) -> assertThat(ended.reason()).isEqualTo(CooldownEndedEvent.RECOVERED));
	}

	@Test
	void aCooldownStartedElsewhereIsObeyedAndToldAsStartedHereButNotSentBack() {
		this.replicas.listener.openedElsewhere(ErrorCategory.RATE_LIMIT, Duration.ofSeconds(20), 0);
		assertThat(acquire()).isEqualTo(Admission.COOLING);
		assertThat(this.events).singleElement().isInstanceOfSatisfying(CooldownStartedEvent.class,
				(started) -> assertThat(started.reason()).isEqualTo(ErrorCategory.RATE_LIMIT));
		assertThat(this.replicas.told).isEmpty();
		// A shorter one is no news; a longer one extends it.
		this.replicas.listener.openedElsewhere(ErrorCategory.RATE_LIMIT, Duration.ofSeconds(5), 0);
		this.time.advanceTimeBy(Duration.ofSeconds(21));
		assertThat(this.circuit.isCooling(this.clock.nanoTime())).isFalse();
		this.replicas.listener.openedElsewhere(ErrorCategory.SERVER_ERROR, Duration.ofSeconds(60), 1);
		assertThat(this.circuit.isCooling(this.clock.nanoTime())).isTrue();
		assertThat(this.circuit.status(this.clock.nanoTime()).failedTrials()).isEqualTo(1);
	}

	@Test
	void whileTheStoreIsUnreachableTheReplicaRunsItsOwnTrial() {
		fail(ErrorCategory.AUTHENTICATION, false);
		this.time.advanceTimeBy(Duration.ofSeconds(31));
		this.replicas.connected = false;
		assertThat(acquire()).isEqualTo(Admission.TRIAL);
	}

	@Test
	void anOperatorsResetReachesTheOthers() {
		fail(ErrorCategory.AUTHENTICATION, false);
		assertThat(this.circuit.reset()).isTrue();
		assertThat(this.replicas.told).containsExactly("opened authentication PT30S 0", "closed");
	}

	/** Records what the circuit tells; grants the lease only when the test says so. */
	private static final class RecordingState implements SharedState, SharedCircuit {

		final List<String> told = new ArrayList<>();

		SharedCircuit.Listener listener;

		int trialsAsked;

		boolean connected = true;

		@Override
		public SharedCircuit circuit(String key, SharedCircuit.Listener listener) {
			this.listener = listener;
			return this;
		}

		@Override
		public SharedUsage usage(String key, SharedUsage.Listener listener) {
			throw new UnsupportedOperationException();
		}

		@Override
		public SharedLatency latency(String key, SharedLatency.Listener listener) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean connected() {
			return this.connected;
		}

		@Override
		public void failed(ErrorCategory category, CooldownSpec spec) {
			this.told.add("failed " + category);
		}

		@Override
		public void opened(ErrorCategory reason, Duration duration, int failedTrials) {
			this.told.add("opened " + reason + " " + duration + " " + failedTrials);
		}

		@Override
		public void closed() {
			this.told.add("closed");
		}

		@Override
		public boolean tryTrial() {
			if (!this.connected) {
				return true;
			}
			this.trialsAsked++;
			return false;
		}

	}

}
