package dev.llmfallback.engine;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import reactor.core.scheduler.Scheduler;

import dev.llmfallback.scheduling.TimerWheelScheduler;

/**
 * The engine's time: a monotonic clock for durations, deadlines and cooldowns, and the scheduler its
 * timers run on. Given a scheduler (a virtual-time one in tests), both come from it, so back-off,
 * timeouts, deadlines and cooldowns all follow virtual time.
 */
final class EngineClock {

	private final Scheduler scheduler;

	private final boolean fromScheduler;

	private EngineClock(Scheduler scheduler, boolean fromScheduler) {
		this.scheduler = scheduler;
		this.fromScheduler = fromScheduler;
	}

	static EngineClock system() {
		return new EngineClock(TimerWheelScheduler.shared(), false);
	}

	static EngineClock of(Scheduler scheduler) {
		return new EngineClock(scheduler, true);
	}

	Scheduler scheduler() {
		return this.scheduler;
	}

	long nanoTime() {
		return this.fromScheduler ? this.scheduler.now(TimeUnit.NANOSECONDS) : System.nanoTime();
	}

	/** The wall-clock instant of a moment read from {@link #nanoTime()}. */
	Instant instantAt(long nanoTime) {
		Instant now = this.fromScheduler ? Instant.ofEpochMilli(this.scheduler.now(TimeUnit.MILLISECONDS))
				: Instant.now();
		return now.plusNanos(nanoTime - nanoTime());
	}

}
