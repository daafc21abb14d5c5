package dev.llmfallback.benchmarks.hedging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.benchmarks.BenchmarkMain;
import dev.llmfallback.benchmarks.Results;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.HedgeSpec;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;

/**
 * The p99 of a chain whose primary has a slow tail (5 % of its answers take 3 s, the rest 200 ms;
 * the secondary always takes 250 ms), without hedging and with {@code hedge.after-percentile: 95}
 * (and the default 10 % budget), and the extra calls hedging cost. In-process providers on real
 * time, so it measures the engine's decisions, not a network. Part {@code hedging} of
 * {@code benchmarks/run.sh}; alone: {@code java -cp benchmarks.jar
 * dev.llmfallback.benchmarks.hedging.HedgingBenchmark [--smoke] [requests]}.
 */
public final class HedgingBenchmark {

	private static final int CONCURRENCY = 50;

	private HedgingBenchmark() {
	}

	public static void main(String[] args) {
		boolean smoke = List.of(args).contains("--smoke");
		int requests = List.of(args)
			.stream()
			.filter((arg) -> !arg.startsWith("--"))
			.findFirst()
			.map(Integer::parseInt)
			.orElse(smoke ? 400 : 4000);
		BenchmarkMain.run("hedging", () -> {
			Results results = Results.of("hedging");
			Result without = run(requests, null);
			report(results, "without hedging", without);
			Result percentile = run(requests, HedgeSpec.afterPercentile(95));
			report(results, "hedge.after-percentile: 95", percentile);
			report(results, "hedge.after: 500ms", run(requests, HedgeSpec.after(Duration.ofMillis(500))));
			// The budget's promise: duplicate calls stay within hedge.max-rate (10 % by default).
			results.row("hedging: extra calls, after-percentile 95", percent(percentile), "<= 10 % (hedge.max-rate)",
					extraShare(percentile) <= 0.10);
		});
	}

	private record Result(Histogram latencies, int primaryCalls, int secondaryCalls, int requests) {
	}

	private static Result run(int requests, HedgeSpec hedge) throws InterruptedException {
		SlowTail primary = new SlowTail("primary", Duration.ofMillis(200), 0.05, Duration.ofSeconds(3));
		SlowTail secondary = new SlowTail("secondary", Duration.ofMillis(250), 0, Duration.ZERO);
		FallbackEngine engine = FallbackEngine.builder()
			.providers(List.of(primary, secondary))
			.model(ModelDefinition.builder("primary").provider("primary").build())
			.model(ModelDefinition.builder("secondary").provider("secondary").build())
			.policy(FallbackPolicy.builder("chat").models("primary", "secondary").hedge(hedge).build())
			.eventLog(false)
			.build();
		Histogram latencies = new Histogram(60_000_000_000L, 3);
		Semaphore slots = new Semaphore(CONCURRENCY);
		CountDownLatch done = new CountDownLatch(requests);
		for (int i = 0; i < requests; i++) {
			slots.acquire();
			long start = System.nanoTime();
			engine.chatService().chat(ChatRequest.of("hi")).subscribe((response) -> {
			}, (error) -> {
				slots.release();
				done.countDown();
			}, () -> {
				synchronized (latencies) {
					latencies.recordValue(System.nanoTime() - start);
				}
				slots.release();
				done.countDown();
			});
		}
		done.await();
		return new Result(latencies, primary.calls.get(), secondary.calls.get(), requests);
	}

	private static void report(Results results, String name, Result result) {
		results.row("hedging: " + result.requests + " requests at " + CONCURRENCY
				+ " in flight, primary 200 ms with 5 % at 3 s, secondary 250 ms; " + name,
				String.format("p50 %d / p99 %d / p99.9 %d ms; calls %d (%s extra)",
						result.latencies.getValueAtPercentile(50) / 1_000_000,
						result.latencies.getValueAtPercentile(99) / 1_000_000,
						result.latencies.getValueAtPercentile(99.9) / 1_000_000,
						result.primaryCalls + result.secondaryCalls, percent(result)));
	}

	private static double extraShare(Result result) {
		return (double) (result.primaryCalls + result.secondaryCalls - result.requests) / result.requests;
	}

	private static String percent(Result result) {
		return String.format("+%.1f %%", 100 * extraShare(result));
	}

	/** Answers after {@code usual}, or with probability {@code tailShare} after {@code tail}. */
	private static final class SlowTail implements ChatProvider {

		private final String name;

		private final Duration usual;

		private final double tailShare;

		private final Duration tail;

		final AtomicInteger calls = new AtomicInteger();

		SlowTail(String name, Duration usual, double tailShare, Duration tail) {
			this.name = name;
			this.usual = usual;
			this.tailShare = tailShare;
			this.tail = tail;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Mono<ProviderResponse> chat(ProviderRequest request) {
			return Mono.defer(() -> {
				this.calls.incrementAndGet();
				Duration wait = (ThreadLocalRandom.current().nextDouble() < this.tailShare) ? this.tail : this.usual;
				return Mono.delay(wait).map((tick) -> ProviderResponse.of("from " + this.name));
			});
		}

		@Override
		public Flux<ProviderChunk> stream(ProviderRequest request) {
			return Flux.error(new UnsupportedOperationException("chat only"));
		}

	}

}
