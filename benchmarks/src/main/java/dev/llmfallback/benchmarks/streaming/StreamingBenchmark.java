package dev.llmfallback.benchmarks.streaming;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import dev.llmfallback.benchmarks.BenchmarkMain;
import dev.llmfallback.benchmarks.GatewayProcess;
import dev.llmfallback.benchmarks.JvmFlags;
import dev.llmfallback.benchmarks.Results;
import dev.llmfallback.benchmarks.gateway.BareProxy;
import dev.llmfallback.benchmarks.gateway.BareProxyProcess;
import dev.llmfallback.benchmarks.streaming.SseClient.StreamOutcome;
import dev.llmfallback.benchmarks.upstream.BenchUpstream;
import dev.llmfallback.benchmarks.upstream.UpstreamProcess;

/**
 * What the gateway adds to a streamed chat completion ({@code "stream":true} through
 * {@code POST /v1/chat/completions}), against the same upstream read directly in the same run:
 * <ul>
 * <li><b>added time to first token</b>: the first content delta through the gateway minus directly,
 * p50 and p99, one stream in flight, the paths interleaved in rounds after a warm-up; a round
 * whose direct median drifts more than 10 % from the median of all rounds flags the run (a loaded
 * machine). The same streams through the {@link BareProxy} give this machine's floor: what one more
 * Reactor Netty hop adds, with no framework, parsing or policy;</li>
 * <li><b>added inter-chunk gap</b> p50 and p99 (for the record), and stalls: gaps longer than ten
 * times the upstream's pace;</li>
 * <li><b>a thousand concurrent streams</b> through the gateway: every stream must carry every chunk
 * and {@code [DONE]}, with no stall and no error.</li>
 * </ul>
 * The gateway ({@link GatewayProcess}, a one-model policy), the bare proxy (with the gateway's JVM
 * flags) and the upstream ({@link UpstreamProcess}) run in processes of their own; this JVM is only
 * the client ({@link SseClient}).
 * {@code --ttft-only} measures the first part alone; {@code -Dbenchmarks.streaming.pace=0} sends
 * the chunks back to back. {@code --smoke} runs it all briefly (fewer rounds, 50 concurrent streams) to prove it still works.
 * <p>Over 300 lines: the two parts share the processes, the client and the row formatting, and each
 * reads as one method from its set-up to its rows.
 */
public final class StreamingBenchmark {

	static final List<String> GATEWAY_FLAGS = gatewayFlags();

	/**
	 * {@code -Xms256m -Xmx256m}, plus {@code -Dbenchmarks.streaming.gatewayFlags="..."} (e.g. an
	 * async-profiler {@code -agentpath:} to see where a stream's time goes).
	 */
	private static List<String> gatewayFlags() {
		return Stream.concat(Stream.of("-Xms256m", "-Xmx256m"),
				JvmFlags.fromProperty("benchmarks.streaming.gatewayFlags", "").stream())
			.toList();
	}

	/** The sides of the one-in-flight part, in the order of its arrays. */
	private static final List<String> SIDES = List.of("direct", "gateway", "bare proxy");

	/** The upstream's JVM, also used by the memory benchmark. */
	public static final List<String> UPSTREAM_FLAGS = List.of("-Xms256m", "-Xmx256m");

	/** The gateway's one-model policy, named in the {@code model} field of the requests. */
	public static final String POLICY = "stream";

	private final Settings settings;

	private final Results results;

	private StreamingBenchmark(Settings settings, Results results) {
		this.settings = settings;
		this.results = results;
	}

	/** How much of each phase to run. */
	record Settings(int warmupStreams, int rounds, int streamsPerRound, int chunks, Duration pace, int concurrent,
			int concurrentChunks, Duration concurrentPace, Duration ramp, Duration concurrentDelay) {

		// The concurrent streams start sending after a delay longer than the ramp, so that all are open at once.
		static Settings full() {
			return new Settings(2000, 10, 40, 32, Duration.ofMillis(5), 1000, 40, Duration.ofMillis(100),
					Duration.ofSeconds(1), Duration.ofSeconds(2));
		}

		static Settings smoke() {
			return new Settings(200, 2, 10, 32, Duration.ofMillis(5), 50, 20, Duration.ofMillis(50),
					Duration.ofMillis(250), Duration.ofMillis(500));
		}

	}

	public static void main(String[] args) {
		boolean smoke = Arrays.asList(args).contains("--smoke");
		boolean ttftOnly = Arrays.asList(args).contains("--ttft-only");
		Settings settings = smoke ? Settings.smoke() : Settings.full();
		// -Dbenchmarks.streaming.pace=0 (milliseconds): chunks back to back, to tell the gateway's own cost from
		// the wake-ups of an idle machine between paced chunks.
		String pace = System.getProperty("benchmarks.streaming.pace");
		if (pace != null) {
			settings = new Settings(settings.warmupStreams(), settings.rounds(), settings.streamsPerRound(),
					settings.chunks(), Duration.ofMillis(Long.parseLong(pace)), settings.concurrent(),
					settings.concurrentChunks(), settings.concurrentPace(), settings.ramp(), settings.concurrentDelay());
		}
		Settings chosen = settings;
		BenchmarkMain.run("streaming",
				() -> new StreamingBenchmark(chosen, Results.of("streaming")).run(ttftOnly));
	}

	private void run(boolean ttftOnly) throws Exception {
		Path logs = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
		int upstreamPort = BenchUpstream.refusedPort();
		int gatewayPort = BenchUpstream.refusedPort();
		int proxyPort = BenchUpstream.refusedPort();
		try (UpstreamProcess upstream = UpstreamProcess.start(UPSTREAM_FLAGS, List.of(Integer.toString(upstreamPort)),
				logs.resolve("streaming-upstream.log"));
				GatewayProcess gateway = GatewayProcess.start(GatewayProcess.sampleAppJar(Path.of(".")), GATEWAY_FLAGS,
						gatewayPort, gatewayProperties(upstreamPort, this.settings.concurrent() + 100),
						logs.resolve("streaming-gateway.log"));
				BareProxyProcess proxy = BareProxyProcess.start(GATEWAY_FLAGS, proxyPort,
						"http://127.0.0.1:" + upstreamPort + "/v1", this.settings.concurrent() + 100,
						logs.resolve("streaming-proxy.log"));
				SseClient client = new SseClient(this.settings.concurrent() + 100, Duration.ofSeconds(30))) {
			String direct = "http://127.0.0.1:" + upstreamPort + "/v1/chat/completions";
			String proxied = gateway.baseUrl() + "/v1/chat/completions";
			String bare = proxy.baseUrl() + "/v1/chat/completions";
			recordRuntime(gateway);
			long started = System.nanoTime();
			oneInFlight(upstream, upstreamPort, gateway, client, List.of(direct, proxied, bare));
			System.out.printf("streaming: one in flight measured after %d s%n",
					TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
			if (ttftOnly) {
				return;
			}
			concurrent(upstream, upstreamPort, client, proxied);
			System.out.printf("streaming: concurrent streams measured after %d s%n",
					TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
		}
	}

	/**
	 * Gateway properties: one provider on the upstream, one model, a one-model policy without retries.
	 * @param upstreamPort the upstream's port
	 * @param maxConnections the provider's pool size (streams in flight at most)
	 * @return the properties
	 */
	public static Map<String, String> gatewayProperties(int upstreamPort, int maxConnections) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("llm.fallback.providers.up.type", "openai");
		properties.put("llm.fallback.providers.up.base-url", "http://127.0.0.1:" + upstreamPort + "/v1");
		properties.put("llm.fallback.providers.up.api-key", "bench");
		// The default pool (100 connections per provider) would queue the concurrent streams.
		properties.put("llm.fallback.providers.up.max-connections", Integer.toString(maxConnections));
		properties.put("llm.fallback.models.bench.provider", "up");
		properties.put("llm.fallback.policies." + POLICY + ".models", "bench");
		properties.put("llm.fallback.policies." + POLICY + ".retry.max-retries", "0");
		properties.put("llm.fallback.default-policy", POLICY);
		return properties;
	}

	/**
	 * @param model the {@code model} field: the policy for the gateway, anything for the upstream
	 * @return a small streamed chat completion request
	 */
	public static String body(String model) {
		return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"stream\":true}";
	}

	private void recordRuntime(GatewayProcess gateway) {
		this.results.row("runtime", "Java " + System.getProperty("java.version") + ", "
				+ Runtime.getRuntime().availableProcessors() + " CPUs, gateway pid " + gateway.pid());
		this.results.row("gateway JVM flags", String.join(" ", GATEWAY_FLAGS) + " (G1 by default)");
		this.results.row("upstream JVM flags", String.join(" ", UPSTREAM_FLAGS));
		this.results.row("client JVM flags",
				String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
	}

	/**
	 * Time to first token and inter-chunk gaps, one stream at a time, the sides in turns.
	 * @param urls where each side posts: direct (0), the gateway (1), the bare proxy (2)
	 */
	private void oneInFlight(UpstreamProcess upstream, int port, GatewayProcess gateway, SseClient client,
			List<String> urls) throws IOException {
		Settings s = this.settings;
		// The gateway is asked for its policy, the upstream (directly or through the proxy) for any model.
		List<String> bodies = List.of(body("bench"), body(POLICY), body("bench"));
		int sides = SIDES.size();
		// Warm-up without pacing: many streams quickly, so that every JIT has compiled its path.
		upstream.behave(port, "mode=ok&delay=0ms&chunks=" + s.chunks() + "&chunkInterval=0ms");
		for (int i = 0; i < s.warmupStreams(); i++) {
			for (int side = 0; side < sides; side++) {
				expectComplete(client, urls.get(side), bodies.get(side), s.chunks(), "warm-up, " + SIDES.get(side));
			}
		}
		upstream.behave(port, "chunkInterval=" + s.pace().toMillis() + "ms");
		long stallNanos = s.pace().toNanos() * 10;
		Histogram[] ttft = histograms(sides);
		Histogram[] gaps = histograms(sides);
		long[] stalls = new long[sides];
		int[] broken = new int[sides];
		double[] directRoundMedians = new double[s.rounds()];
		double[] addedRoundMedians = new double[s.rounds()];
		long gatewayCpu = 0;
		long compilerCpu = 0;
		for (int round = 0; round < s.rounds(); round++) {
			Histogram[] roundTtft = histograms(sides);
			// Rotate which side goes first, so none always follows another's garbage.
			for (int turn = 0; turn < sides; turn++) {
				int side = (round + turn) % sides;
				long[] cpuBefore = (side == 1) ? cpuNanos(gateway.pid()) : null;
				for (int i = 0; i < s.streamsPerRound(); i++) {
					StreamOutcome outcome = client.stream(urls.get(side), bodies.get(side), s.chunks())
						.block(Duration.ofSeconds(30));
					if (outcome == null || !outcome.complete() || outcome.chunks() != s.chunks()) {
						broken[side]++;
						System.err.println(SIDES.get(side) + " stream broken: " + outcome);
						continue;
					}
					ttft[side].recordValue(outcome.firstTokenNanos());
					roundTtft[side].recordValue(outcome.firstTokenNanos());
					long[] at = outcome.contentAt();
					for (int c = 1; c < at.length; c++) {
						long gap = at[c] - at[c - 1];
						gaps[side].recordValue(gap);
						if (gap > stallNanos) {
							stalls[side]++;
						}
					}
				}
				if (side == 1) {
					long[] cpuAfter = cpuNanos(gateway.pid());
					gatewayCpu += cpuAfter[0] - cpuBefore[0];
					compilerCpu += cpuAfter[1] - cpuBefore[1];
				}
			}
			directRoundMedians[round] = roundTtft[0].getValueAtPercentile(50);
			addedRoundMedians[round] = roundTtft[1].getValueAtPercentile(50) - roundTtft[0].getValueAtPercentile(50);
		}
		String conditions = "1 stream in flight, " + s.chunks() + " chunks every " + s.pace().toMillis()
				+ " ms, upstream delay 0; " + s.rounds() + " interleaved rounds of " + s.streamsPerRound()
				+ " streams per side after " + s.warmupStreams() + " warm-up";
		double addedP50 = ttft[1].getValueAtPercentile(50) - ttft[0].getValueAtPercentile(50);
		double addedP99 = ttft[1].getValueAtPercentile(99) - ttft[0].getValueAtPercentile(99);
		this.results.row("added TTFT p50 (" + conditions + ")",
				added(addedP50) + " (gateway " + micros(ttft[1].getValueAtPercentile(50)) + ", direct "
						+ micros(ttft[0].getValueAtPercentile(50)) + "; per round median " + added(median(addedRoundMedians))
						+ ", IQR " + added(percentile(addedRoundMedians, 25)) + " to "
						+ added(percentile(addedRoundMedians, 75)) + ")");
		this.results.row("added TTFT p99 (same streams)", added(addedP99) + " (gateway "
				+ micros(ttft[1].getValueAtPercentile(99)) + ", direct " + micros(ttft[0].getValueAtPercentile(99)) + ")",
				"≤ 300 µs", addedP99 <= 300_000);
		this.results.row("bare proxy: added TTFT p50 / p99 (same rounds; this machine's floor for one more hop)",
				added(ttft[2].getValueAtPercentile(50) - ttft[0].getValueAtPercentile(50)) + " / "
						+ added(ttft[2].getValueAtPercentile(99) - ttft[0].getValueAtPercentile(99)) + " (proxy "
						+ micros(ttft[2].getValueAtPercentile(50)) + " / " + micros(ttft[2].getValueAtPercentile(99)) + ")");
		double gapP50 = gaps[1].getValueAtPercentile(50) - gaps[0].getValueAtPercentile(50);
		double gapP99 = gaps[1].getValueAtPercentile(99) - gaps[0].getValueAtPercentile(99);
		this.results.row("added inter-chunk gap p50 (same streams)", added(gapP50) + " (gateway "
				+ micros(gaps[1].getValueAtPercentile(50)) + ", direct " + micros(gaps[0].getValueAtPercentile(50)) + ")");
		this.results.row("added inter-chunk gap p99 (same streams)", added(gapP99) + " (gateway "
				+ micros(gaps[1].getValueAtPercentile(99)) + ", direct " + micros(gaps[0].getValueAtPercentile(99)) + ")");
		this.results.row("stalls, gap > " + stallNanos / 1_000_000 + " ms (10x the pace), gateway / direct",
				stalls[1] + " / " + stalls[0] + " of " + gaps[1].getTotalCount() + " / " + gaps[0].getTotalCount() + " gaps",
				"0 through the gateway", stalls[1] == 0);
		long gatewayStreams = Math.max(1, ttft[1].getTotalCount());
		this.results.row("gateway CPU per stream (user + system from /proc over its turns, " + s.chunks()
				+ " chunks; JIT compiler threads apart)", micros((double) gatewayCpu / gatewayStreams) + " (JIT compilers "
						+ micros((double) compilerCpu / gatewayStreams) + " more: still compiling after the warm-up)");
		double drift = maxDrift(directRoundMedians);
		this.results.row("direct baseline drift (largest round p50 TTFT off the median of rounds)",
				String.format("%.1f %%", drift * 100), "≤ 10 % (else the run is flagged)", drift <= 0.10);
		if (Arrays.stream(broken).sum() > 0) {
			throw new IllegalStateException(broken[1] + " gateway, " + broken[2] + " bare proxy and " + broken[0]
					+ " direct streams did not carry every chunk and [DONE] with one stream in flight");
		}
	}

	/** Many streams at once through the gateway: nothing may be lost, stall or fail. */
	private void concurrent(UpstreamProcess upstream, int port, SseClient client, String proxied) {
		Settings s = this.settings;
		int streams = s.concurrent();
		upstream.behave(port, "mode=ok&delay=" + s.concurrentDelay().toMillis() + "ms&chunks=" + s.concurrentChunks()
				+ "&chunkInterval=" + s.concurrentPace().toMillis() + "ms");
		String body = body(POLICY);
		client.resetPeak();
		List<CompletableFuture<StreamOutcome>> outcomes = new ArrayList<>(streams);
		// Opened along a ramp rather than in one burst, as clients arrive, yet all open together.
		long start = System.nanoTime();
		long step = s.ramp().toNanos() / streams;
		for (int i = 0; i < streams; i++) {
			long wait = start + i * step - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			outcomes.add(client.stream(proxied, body, s.concurrentChunks()).toFuture());
		}
		long stallNanos = s.concurrentPace().toNanos() * 10;
		long streamNanos = s.concurrentDelay().toNanos() + s.concurrentPace().toNanos() * s.concurrentChunks();
		long until = System.nanoTime() + s.ramp().toNanos() + streamNanos + TimeUnit.SECONDS.toNanos(60);
		int complete = 0;
		int errors = 0;
		long lost = 0;
		long stalls = 0;
		long maxGap = 0;
		Histogram ttft = histogram();
		String firstError = null;
		for (CompletableFuture<StreamOutcome> future : outcomes) {
			StreamOutcome outcome;
			try {
				outcome = future.get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (Exception ex) {
				errors++;
				lost += s.concurrentChunks();
				firstError = (firstError != null) ? firstError : "not finished in time: " + ex;
				continue;
			}
			lost += Math.max(0, s.concurrentChunks() - outcome.chunks());
			if (outcome.complete() && outcome.chunks() == s.concurrentChunks()) {
				complete++;
			}
			else if (!outcome.complete()) {
				errors++;
				firstError = (firstError != null) ? firstError : outcome.toString();
			}
			if (outcome.chunks() > 0) {
				ttft.recordValue(outcome.firstTokenNanos());
			}
			long[] at = outcome.contentAt();
			for (int c = 1; c < at.length; c++) {
				long gap = at[c] - at[c - 1];
				maxGap = Math.max(maxGap, gap);
				if (gap > stallNanos) {
					stalls++;
				}
			}
		}
		if (firstError != null) {
			System.err.println("first failed stream of " + streams + ": " + firstError);
		}
		// Only a run in which all were open together proves the count.
		boolean met = complete == streams && lost == 0 && stalls == 0 && errors == 0 && client.peakOpen() == streams;
		this.results.row(streams + " concurrent streams through the gateway (opened over " + s.ramp().toMillis()
				+ " ms; first chunk after " + s.concurrentDelay().toMillis() + " ms, then " + s.concurrentChunks()
				+ " chunks every " + s.concurrentPace().toMillis() + " ms)",
				complete + "/" + streams + " complete, " + lost + " lost chunks, " + stalls + " stalls (gap > "
						+ stallNanos / 1_000_000 + " ms), " + errors + " errors; " + client.peakOpen()
						+ " open at once, longest gap " + millis(maxGap) + ", first chunk p99 " + millis(ttft.getValueAtPercentile(99))
						+ " after the request",
				"all open at once; every chunk and [DONE]: 0 lost, 0 stalls, 0 errors", met);
		if (complete == 0) {
			throw new IllegalStateException("no concurrent stream completed: " + firstError);
		}
	}

	private static StreamOutcome expectComplete(SseClient client, String url, String body, int chunks, String what) {
		StreamOutcome outcome = client.stream(url, body, chunks).block(Duration.ofSeconds(30));
		if (outcome == null || !outcome.complete() || outcome.chunks() != chunks) {
			throw new IllegalStateException(what + ": a stream did not carry " + chunks + " chunks and [DONE]: " + outcome);
		}
		return outcome;
	}

	/**
	 * CPU time (user and system) a process's threads have used, from {@code /proc/PID/task/TID/stat},
	 * in clock ticks of 10 ms (USER_HZ 100): coarse, so only a sum over many streams means anything.
	 * The JIT compiler threads are apart, as a warm-up that has not finished shows there.
	 * @param pid the process
	 * @return nanoseconds: the threads other than the JIT compilers, then the JIT compilers
	 * @throws IOException if it cannot be read
	 */
	public static long[] cpuNanos(long pid) throws IOException {
		long[] cpu = new long[2];
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				String stat;
				try {
					stat = Files.readString(task.resolve("stat"));
				}
				catch (IOException ex) {
					// The thread ended meanwhile.
					continue;
				}
				String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
				// Fields after the name's closing parenthesis, from the state (field 3): utime is 14, stime 15.
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
				cpu[name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? 1 : 0] += nanos;
			}
		}
		return cpu;
	}

	static Histogram histogram() {
		return new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
	}

	/** @return one histogram per side, in the order of {@link #SIDES} */
	private static Histogram[] histograms(int sides) {
		Histogram[] histograms = new Histogram[sides];
		Arrays.setAll(histograms, (side) -> histogram());
		return histograms;
	}

	static String micros(double nanos) {
		return String.format("%.0f µs", nanos / 1000);
	}

	/** A difference, with its sign. */
	static String added(double nanos) {
		return String.format("%+.0f µs", nanos / 1000);
	}

	private static String millis(double nanos) {
		return String.format("%.1f ms", nanos / 1_000_000);
	}

	private static double median(double[] values) {
		return percentile(values, 50);
	}

	/** Nearest-rank percentile of a few values. */
	private static double percentile(double[] values, double percent) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	/** The largest relative distance of one value from the median of all. */
	private static double maxDrift(double[] values) {
		double median = median(values);
		double drift = 0;
		for (double value : values) {
			drift = Math.max(drift, Math.abs(value - median) / median);
		}
		return drift;
	}

}
