package dev.llmfallback.scheduling;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The library's timers: every attempt arms a timeout that almost never fires, every streamed
 * chunk re-arms an idle timeout, and every stream arms a grace period after its terminal marker.
 * On {@link Schedulers#parallel()} each arm and cancel costs a lock, a heap operation in a
 * {@code ScheduledThreadPoolExecutor} and often a thread woken (about 3.5 µs per call, measured);
 * on a hashed timer wheel both are O(1) queue operations. The wheel ticks every
 * {@value #TICK_MILLIS} ms and fires up to a tick late, so a timer waits on the wheel only until
 * one tick before its time, then the rest on {@link Schedulers#parallel()}: it fires on time (a
 * failover after an attempt timeout is not a tick late), and only the rare timer that comes that
 * close to firing pays for the precise one.
 *
 * <p>A timer that fires runs its task on {@link Schedulers#parallel()}, so no work runs on the
 * wheel's single thread.
 */
public final class TimerWheelScheduler implements Scheduler {

	static final long TICK_MILLIS = 10;

	private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

	private static final class Shared {

		static final TimerWheelScheduler INSTANCE = new TimerWheelScheduler();

	}

	private final HashedWheelTimer timer;

	private TimerWheelScheduler() {
		this.timer = new HashedWheelTimer(new DaemonThreadFactory(), TICK_MILLIS, TimeUnit.MILLISECONDS, 512);
	}

	/** The one wheel that every engine and adapter of the JVM shares (one daemon thread in all). */
	public static TimerWheelScheduler shared() {
		return Shared.INSTANCE;
	}

	@Override
	public Disposable schedule(Runnable task) {
		return Schedulers.parallel().schedule(task);
	}

	@Override
	public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
		if (delay <= 0) {
			return schedule(task);
		}
		long nanos = unit.toNanos(delay);
		TwoStageTimer timer = new TwoStageTimer(task, System.nanoTime() + nanos);
		if (nanos <= TICK_NANOS) {
			timer.finish();
		}
		else {
			timer.coarse = this.timer.newTimeout((expired) -> timer.finish(), nanos - TICK_NANOS, TimeUnit.NANOSECONDS);
		}
		return timer;
	}

	@Override
	public Worker createWorker() {
		return new WheelWorker(this);
	}

	@Override
	public void dispose() {
		// Shared for the JVM's lifetime; its thread is a daemon.
	}

	/**
	 * A timer on the wheel until one tick before its deadline, then on a precise timer for the rest.
	 * Cancelling it in the first stage is an O(1) flag and queue offer.
	 */
	private static final class TwoStageTimer implements Disposable {

		private final Runnable task;

		private final long deadline;

		private volatile @Nullable Timeout coarse;

		private volatile @Nullable Disposable precise;

		private volatile boolean disposed;

		TwoStageTimer(Runnable task, long deadline) {
			this.task = task;
			this.deadline = deadline;
		}

		/** The second stage: whatever is left of the delay (nothing, if the wheel was late). */
		void finish() {
			if (this.disposed) {
				return;
			}
			long remaining = this.deadline - System.nanoTime();
			Disposable precise = (remaining > 0)
					? Schedulers.parallel().schedule(this.task, remaining, TimeUnit.NANOSECONDS)
					: Schedulers.parallel().schedule(this.task);
			this.precise = precise;
			if (this.disposed) {
				// Disposed while the second stage was being armed.
				precise.dispose();
			}
		}

		@Override
		public void dispose() {
			this.disposed = true;
			Timeout coarse = this.coarse;
			if (coarse != null) {
				coarse.cancel();
			}
			Disposable precise = this.precise;
			if (precise != null) {
				precise.dispose();
			}
		}

		@Override
		public boolean isDisposed() {
			Disposable precise = this.precise;
			return this.disposed || (precise != null && precise.isDisposed());
		}

	}

	private static final class WheelWorker implements Worker {

		private final TimerWheelScheduler scheduler;

		private final Disposable.Composite tasks = Disposables.composite();

		WheelWorker(TimerWheelScheduler scheduler) {
			this.scheduler = scheduler;
		}

		@Override
		public Disposable schedule(Runnable task) {
			return track(this.scheduler.schedule(task));
		}

		@Override
		public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
			return track(this.scheduler.schedule(task, delay, unit));
		}

		private Disposable track(Disposable task) {
			this.tasks.add(task);
			return task;
		}

		@Override
		public void dispose() {
			this.tasks.dispose();
		}

		@Override
		public boolean isDisposed() {
			return this.tasks.isDisposed();
		}

	}

	private static final class DaemonThreadFactory implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable runnable) {
			Thread thread = new Thread(runnable, "llm-fallback-timer-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
