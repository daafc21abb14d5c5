package dev.llmfallback.benchmarks.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A closed-loop load: a fixed number of requests in flight, each sending the next as soon as its
 * answer is read (as wrk does). Used for the latency at one request in flight and for the
 * concurrency sweep's throughput, where the question is how many requests per second a fixed number
 * of clients gets. Latency is measured from each request's actual start, so at saturation it hides
 * queueing before the send (coordinated omission); {@link OpenLoopLoad} is the tool for latency
 * under a given rate.
 */
public final class ClosedLoopLoad {

	private final LoadClient client;

	public ClosedLoopLoad(LoadClient client) {
		this.client = client;
	}

	/**
	 * Runs the load and waits for it to end.
	 * @param url the chat completions URL
	 * @param concurrency requests in flight
	 * @param duration how long new requests are started
	 * @return what was measured
	 */
	public LoadResult run(String url, int concurrency, Duration duration) {
		Recorder recorder = new Recorder(3);
		AtomicLong completed = new AtomicLong();
		AtomicLong answered = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		Flux.range(0, concurrency)
			.flatMap((worker) -> Mono.defer(() -> {
				long sent = System.nanoTime();
				return this.client.post(url).doOnNext((status) -> {
					long now = System.nanoTime();
					recorder.recordValue(now - sent);
					if (status != 200) {
						errors.incrementAndGet();
					}
					else {
						answered.incrementAndGet();
						if (now <= end) {
							completed.incrementAndGet();
						}
					}
				}).onErrorResume((failure) -> {
					recorder.recordValue(System.nanoTime() - sent);
					errors.incrementAndGet();
					return Mono.empty();
				});
			}).repeat(() -> System.nanoTime() < end), concurrency)
			.blockLast(duration.plusSeconds(30));
		return new LoadResult(recorder.getIntervalHistogram(), completed.get(), answered.get(), errors.get(), duration.toNanos() / 1e9);
	}

}
