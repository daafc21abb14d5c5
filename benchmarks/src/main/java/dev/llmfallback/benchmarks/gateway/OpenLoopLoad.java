package dev.llmfallback.benchmarks.gateway;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Recorder;

/**
 * An open-loop load at a fixed request rate, as wrk2 and Vegeta make: request {@code i} is due at
 * {@code start + i / rate} whether or not earlier ones have been answered, and its latency is counted
 * from that intended start. A stall on the measured side therefore shows in the percentiles instead
 * of silently lowering the rate (coordinated omission corrected). The schedule runs on the calling
 * thread (never a Reactor thread), which only parks until a request is due and subscribes to it; a
 * schedule that falls behind sends at once and the lateness counts in the latency.
 */
final class OpenLoopLoad {

	private final LoadClient client;

	OpenLoopLoad(LoadClient client) {
		this.client = client;
	}

	/**
	 * Runs the load and waits until every request is answered or has failed.
	 * @param url the chat completions URL
	 * @param rate requests per second
	 * @param duration how long requests are scheduled
	 * @return what was measured; its {@code completed} counts every 200, and the achieved rate is
	 * {@code completed / seconds} as long as nothing failed
	 */
	LoadResult run(String url, int rate, Duration duration) throws InterruptedException {
		Recorder recorder = new Recorder(3);
		AtomicLong completed = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		int count = (int) Math.max(1, rate * duration.toNanos() / 1_000_000_000L);
		CountDownLatch done = new CountDownLatch(count);
		double period = 1e9 / rate;
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			long intended = start + (long) (i * period);
			long wait;
			while ((wait = intended - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			this.client.post(url).subscribe((status) -> {
				recorder.recordValue(System.nanoTime() - intended);
				(status == 200 ? completed : errors).incrementAndGet();
				done.countDown();
			}, (failure) -> {
				recorder.recordValue(System.nanoTime() - intended);
				errors.incrementAndGet();
				done.countDown();
			});
		}
		if (!done.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException(done.getCount() + " of " + count + " requests to " + url + " never ended");
		}
		return new LoadResult(recorder.getIntervalHistogram(), completed.get(), completed.get(), errors.get(), duration.toNanos() / 1e9);
	}

}
