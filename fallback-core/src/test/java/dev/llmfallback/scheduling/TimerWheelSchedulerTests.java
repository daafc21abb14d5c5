package dev.llmfallback.scheduling;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timer wheel behind the engine's default timers. These tests wait for real timers to fire
 * (they never sleep); they assert what runs and where, not how fast.
 */
class TimerWheelSchedulerTests {

	private final TimerWheelScheduler wheel = TimerWheelScheduler.shared();

	@Test
	void aDelayFiresOnAParallelThreadNotTheWheels() {
		AtomicReference<String> thread = new AtomicReference<>();
		StepVerifier.create(Mono.delay(Duration.ofMillis(20), this.wheel)
			.doOnNext((tick) -> thread.set(Thread.currentThread().getName())))
			.expectNext(0L)
			.verifyComplete();
		assertThat(thread.get()).startsWith("parallel-");
		assertThat(Schedulers.isNonBlockingThread(Thread.currentThread())).isFalse();
	}

	@Test
	void aCancelledTaskNeverRuns() {
		AtomicBoolean cancelledRan = new AtomicBoolean();
		Disposable cancelled = this.wheel.schedule(() -> cancelledRan.set(true), 30, java.util.concurrent.TimeUnit.MILLISECONDS);
		cancelled.dispose();
		assertThat(cancelled.isDisposed()).isTrue();
		// A later timer fires only after the cancelled one's time has passed.
		StepVerifier.create(Mono.delay(Duration.ofMillis(80), this.wheel)).expectNext(0L).verifyComplete();
		assertThat(cancelledRan).isFalse();
	}

	@Test
	void aTimeoutFiresAndCancelsTheSource() {
		AtomicBoolean sourceCancelled = new AtomicBoolean();
		StepVerifier.create(Mono.never().doOnCancel(() -> sourceCancelled.set(true)).timeout(Duration.ofMillis(20), this.wheel))
			.expectError(java.util.concurrent.TimeoutException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(sourceCancelled).isTrue();
	}

	@Test
	void aDelayShorterThanATickFires() {
		StepVerifier.create(Mono.delay(Duration.ofMillis(TimerWheelScheduler.TICK_MILLIS / 2), this.wheel))
			.expectNext(0L)
			.verifyComplete();
	}

	@Test
	void aTaskCancelledInItsLastTickNeverRuns() {
		// Within a tick of its time a timer waits on the precise timer: cancelling must reach that one.
		AtomicBoolean cancelledRan = new AtomicBoolean();
		Disposable cancelled = this.wheel.schedule(() -> cancelledRan.set(true), TimerWheelScheduler.TICK_MILLIS / 2,
				java.util.concurrent.TimeUnit.MILLISECONDS);
		cancelled.dispose();
		assertThat(cancelled.isDisposed()).isTrue();
		StepVerifier.create(Mono.delay(Duration.ofMillis(40), this.wheel)).expectNext(0L).verifyComplete();
		assertThat(cancelledRan).isFalse();
	}

	@Test
	void aWorkerDisposesItsPendingTasks() {
		AtomicBoolean ran = new AtomicBoolean();
		reactor.core.scheduler.Scheduler.Worker worker = this.wheel.createWorker();
		worker.schedule(() -> ran.set(true), 30, java.util.concurrent.TimeUnit.MILLISECONDS);
		worker.dispose();
		StepVerifier.create(Mono.delay(Duration.ofMillis(80), this.wheel)).expectNext(0L).verifyComplete();
		assertThat(ran).isFalse();
		assertThat(worker.isDisposed()).isTrue();
	}

}
