package dev.llmfallback.benchmarks.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Measures several targets side by side the way performance-anchors §7 asks: a warm-up that is
 * thrown away, then rounds in which every target runs one block of requests in turn (the order
 * rotating from round to round), so that a machine growing busier or quieter weighs on all targets
 * alike. Each block runs at a fixed concurrency (closed loop: each of {@code c} threads sends its
 * next request when the last one is answered). Every figure goes into an HdrHistogram, the whole
 * run's and the block's, whose median is kept to check the baseline for drift.
 */
final class InterleavedRounds {

	/** One request: returns the nanoseconds to record, or throws {@link Unexpected} for a wrong answer. */
	@FunctionalInterface
	interface Probe {

		long call() throws Exception;

	}

	/** An answer that is not what the case expects (an error status, the wrong model serving). */
	static final class Unexpected extends Exception {

		Unexpected(String message) {
			super(message);
		}

	}

	/** What is measured, and what it saw. */
	static final class Target {

		final String name;

		final Probe probe;

		/** Runs before and after each of the target's blocks (to reset and read upstream counters). */
		final Runnable beforeBlock;

		final Runnable afterBlock;

		/** Nanoseconds, up to a minute, three significant digits. */
		final Histogram all = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(1), 3);

		final List<Long> blockMedians = new ArrayList<>();

		final AtomicInteger errors = new AtomicInteger();

		final AtomicReference<String> firstError = new AtomicReference<>();

		final AtomicInteger measured = new AtomicInteger();

		Target(String name, Probe probe) {
			this(name, probe, () -> {
			}, () -> {
			});
		}

		Target(String name, Probe probe, Runnable beforeBlock, Runnable afterBlock) {
			this.name = name;
			this.probe = probe;
			this.beforeBlock = beforeBlock;
			this.afterBlock = afterBlock;
		}

		long p50() {
			return this.all.getValueAtPercentile(50);
		}

		long p99() {
			return this.all.getValueAtPercentile(99);
		}

		/**
		 * How far the block medians stray from their own median.
		 * @return the largest deviation, as a fraction of the median of block medians
		 */
		double drift() {
			if (this.blockMedians.size() < 2) {
				return 0;
			}
			List<Long> sorted = new ArrayList<>(this.blockMedians);
			sorted.sort(Long::compare);
			double median = sorted.get(sorted.size() / 2);
			double worst = 0;
			for (long value : sorted) {
				worst = Math.max(worst, Math.abs(value - median) / median);
			}
			return worst;
		}

	}

	private InterleavedRounds() {
	}

	/**
	 * Runs the rounds.
	 * @param targets the targets, all measured in every round
	 * @param concurrency requests in flight per block
	 * @param warmup requests per target before measuring, not recorded
	 * @param rounds rounds after the warm-up
	 * @param perRound requests per target per round
	 */
	static void run(List<Target> targets, int concurrency, int warmup, int rounds, int perRound)
			throws InterruptedException {
		ExecutorService threads = Executors.newFixedThreadPool(concurrency, (task) -> {
			Thread thread = new Thread(task, "failover-client");
			thread.setDaemon(true);
			return thread;
		});
		try {
			for (Target target : targets) {
				block(threads, target, concurrency, warmup, null);
			}
			for (int round = 0; round < rounds; round++) {
				for (int i = 0; i < targets.size(); i++) {
					Target target = targets.get((round + i) % targets.size());
					Histogram block = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(1), 3);
					target.beforeBlock.run();
					block(threads, target, concurrency, perRound, block);
					target.afterBlock.run();
					target.all.add(block);
					if (block.getTotalCount() > 0) {
						target.blockMedians.add(block.getValueAtPercentile(50));
					}
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	/** {@code requests} requests of one target, {@code concurrency} at a time; recorded unless warming up. */
	private static void block(ExecutorService threads, Target target, int concurrency, int requests, Histogram into)
			throws InterruptedException {
		AtomicInteger left = new AtomicInteger(requests);
		List<Future<?>> workers = new ArrayList<>(concurrency);
		for (int i = 0; i < concurrency; i++) {
			workers.add(threads.submit(() -> {
				while (left.getAndDecrement() > 0) {
					try {
						long nanos = target.probe.call();
						if (into != null) {
							into.recordValue(Math.min(nanos, into.getHighestTrackableValue()));
							target.measured.incrementAndGet();
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
					catch (Exception ex) {
						target.errors.incrementAndGet();
						target.firstError.compareAndSet(null, ex.toString());
					}
				}
			}));
		}
		for (Future<?> worker : workers) {
			try {
				worker.get();
			}
			catch (java.util.concurrent.ExecutionException ex) {
				throw new IllegalStateException("a client thread failed", ex.getCause());
			}
		}
	}

}
