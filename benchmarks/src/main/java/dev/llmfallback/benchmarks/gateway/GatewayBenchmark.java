package dev.llmfallback.benchmarks.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.benchmarks.BenchmarkMain;
import dev.llmfallback.benchmarks.GatewayProcess;
import dev.llmfallback.benchmarks.JvmFlags;
import dev.llmfallback.benchmarks.Results;
import dev.llmfallback.benchmarks.upstream.BenchUpstream;
import dev.llmfallback.benchmarks.upstream.UpstreamProcess;

/**
 * The sample app as a gateway, measured against calling the upstream directly and against a
 * {@link BareProxy} (the floor for any JVM gateway), all three in the same run, on the same machine,
 * against the same {@link BenchUpstream} (a process of its own) and with the same generators:
 *
 * <ol>
 * <li>the latency added at one request in flight with a zero-delay upstream (p50, p99), in
 * interleaved rounds (direct, proxy, gateway, repeated), as the median of the round figures;</li>
 * <li>a concurrency sweep (1 to 256 in flight) against a 20 ms upstream: the throughput each gets as
 * a share of direct's, and the added p99, in interleaved rounds too;</li>
 * <li>the maximum throughput with a zero-delay upstream (wrk {@code -t1 -c32}; the Java closed-loop
 * generator when wrk is missing), for the record, with the gateway's CPU use;</li>
 * <li>percentiles at fixed rates from the open-loop generator, free of coordinated omission.</li>
 * </ol>
 *
 * The direct baseline is checked for drift across rounds (more than 10 % means a busy machine, and
 * the row says so). The gateway has one policy with one model on the upstream and no retries; it and
 * the proxy run with the same JVM flags and the same pool size towards the upstream. A missed target
 * is a row; errors where none are expected, or a process that does not start, fail the run.
 *
 * <p>{@code --smoke} runs every step briefly (about 40 s, wrk optional); {@code --jfr} records a
 * Flight Recorder profile of the gateway into {@code gateway.jfr} beside the results;
 * {@code --profile=EVENT} ({@code cpu}, {@code alloc}, {@code wall}, {@code lock}) an async-profiler
 * flame graph of the gateway into {@code gateway-EVENT.html} under shorter chat steps after the
 * full warm-up, with the agent library named by {@code -Dbenchmarks.asyncProfiler}
 * ({@code benchmarks/profile.sh} sets both);
 * {@code --embeddings-only} measures only {@code /v1/embeddings} (1 and 1,000 inputs).
 *
 * <p>Over 300 lines because it is one run in steps (latency, sweep, maximum throughput, fixed
 * rates, embeddings) that share the processes, the interleaving and the rows; the load generators,
 * processes and the proxy are their own classes.
 */
public final class GatewayBenchmark {

	/**
	 * The gateway's and the proxy's JVM flags, the same for both: {@code -Xms256m -Xmx256m} with the
	 * JVM's default collector (G1), or {@code -Dbenchmarks.gateway.serverFlags="..."} to measure others
	 * (a collector, say) on both sides alike.
	 */
	private static final List<String> SERVER_FLAGS = JvmFlags.fromProperty("benchmarks.gateway.serverFlags",
			"-Xms256m -Xmx256m");

	private static final List<String> UPSTREAM_FLAGS = List.of("-Xms256m", "-Xmx256m");

	/** Pool size towards the upstream, for the gateway and the proxy alike: above the largest concurrency. */
	private static final int UPSTREAM_POOL = 512;

	private static final int[] CONCURRENCIES = { 1, 4, 16, 64, 256 };

	/** CPU ticks per second in /proc/PID/stat (USER_HZ, 100 on Linux). */
	private static final double TICKS_PER_SECOND = 100;

	/** Issue 17: at this open-loop rate the gateway's total p99 must stay within {@link #TARGET_P99_MICROS}. */
	private static final int TARGET_RATE = 5000;

	private static final double TARGET_P99_MICROS = 1000;

	/** How long each step runs, in the full run or the smoke run. */
	private record Settings(Duration warmUp, int latencyRounds, Duration latencyRun, int sweepRounds, Duration sweepRun,
			Duration maxRpsRun, int[] openRates, Duration openRun) {
	}

	private static final Settings FULL = new Settings(Duration.ofSeconds(20), 5, Duration.ofSeconds(5), 3,
			Duration.ofSeconds(3), Duration.ofSeconds(10), new int[] { 500, 2000, TARGET_RATE }, Duration.ofSeconds(8));

	/**
	 * Under a profiler: a long warm-up (the agent samples from the start, and the JIT's own work
	 * should be done before the steps), then each chat step briefly (about four minutes).
	 */
	private static final Settings PROFILE = new Settings(Duration.ofSeconds(60), 2, Duration.ofSeconds(3), 1,
			Duration.ofSeconds(2), Duration.ofSeconds(15), new int[] { 2000 }, Duration.ofSeconds(8));

	private static final Settings SMOKE = new Settings(Duration.ofSeconds(1), 1, Duration.ofMillis(500), 1,
			Duration.ofMillis(400), Duration.ofSeconds(1), new int[] { 500 }, Duration.ofSeconds(1));

	/** One side measured: a name, its chat completions URL and its process (-1: none of ours to watch). */
	private record Target(String name, String url, long pid) {
	}

	/** One run against one target, with the CPU its process used meanwhile. */
	private record Measured(LoadResult load, double cpuPercent) {
	}

	private final Settings settings;

	private final Results results;

	private final ClosedLoopLoad closedLoop;

	private final OpenLoopLoad openLoop;

	private GatewayBenchmark(Settings settings, Results results, LoadClient client) {
		this.settings = settings;
		this.results = results;
		this.closedLoop = new ClosedLoopLoad(client);
		this.openLoop = new OpenLoopLoad(client);
	}

	public static void main(String[] args) {
		List<String> options = List.of(args);
		boolean smoke = options.contains("--smoke");
		String profile = options.stream()
			.filter((option) -> option.startsWith("--profile="))
			.map((option) -> option.substring("--profile=".length()))
			.findFirst()
			.orElse(null);
		Settings settings = smoke ? SMOKE : (profile != null) ? PROFILE : FULL;
		BenchmarkMain.run("gateway", () -> run(settings, options.contains("--jfr"), profile,
				options.contains("--embeddings-only")));
	}

	private static void run(Settings settings, boolean jfr, @Nullable String profile, boolean embeddingsOnly)
			throws Exception {
		Path directory = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
		Results results = Results.of("gateway");
		int upstreamPort = BenchUpstream.refusedPort();
		int gatewayPort = freePortOtherThan(upstreamPort);
		int proxyPort = freePortOtherThan(upstreamPort, gatewayPort);
		String upstreamBaseUrl = "http://127.0.0.1:" + upstreamPort + "/v1";
		List<String> gatewayFlags = new ArrayList<>(SERVER_FLAGS);
		if (jfr) {
			Path recording = directory.resolve("gateway.jfr").toAbsolutePath();
			Files.deleteIfExists(recording);
			gatewayFlags.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
		}
		if (profile != null) {
			String agent = System.getProperty("benchmarks.asyncProfiler");
			if (agent == null || !Files.isReadable(Path.of(agent))) {
				throw new IllegalArgumentException("--profile needs -Dbenchmarks.asyncProfiler=<path of "
						+ "libasyncProfiler.so> (benchmarks/profile.sh unpacks it from Maven Central)");
			}
			// The flame graph is written when the gateway exits; alloc samples every 512 KB allocated.
			Path graph = directory.resolve("gateway-" + profile + ".html").toAbsolutePath();
			gatewayFlags.add("-agentpath:" + agent + "=start,event=" + profile
					+ (profile.equals("alloc") ? ",alloc=512k" : "") + ",file=" + graph);
		}
		Wrk wrk = Wrk.findOrNull(directory);
		String servers = String.join(" ", SERVER_FLAGS) + " (" + collector(SERVER_FLAGS) + ")";
		results.row("setup: JDK " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
				+ " CPUs, unpinned; gateway and proxy " + servers + ", pool " + UPSTREAM_POOL + " to the upstream; upstream "
				+ String.join(" ", UPSTREAM_FLAGS) + "; generator in the bench JVM",
				(wrk != null) ? "wrk present" : "wrk not installed");
		try (UpstreamProcess upstream = UpstreamProcess.start(UPSTREAM_FLAGS, List.of(Integer.toString(upstreamPort)),
				directory.resolve("gateway-upstream.log"));
				GatewayProcess gateway = GatewayProcess.start(GatewayProcess.sampleAppJar(Path.of(".")), gatewayFlags,
						gatewayPort, gatewayProperties(upstreamBaseUrl), directory.resolve("gateway-gateway.log"));
				BareProxyProcess proxy = BareProxyProcess.start(SERVER_FLAGS, proxyPort, upstreamBaseUrl, UPSTREAM_POOL,
						directory.resolve("gateway-proxy.log"));
				LoadClient client = new LoadClient(1024)) {
			List<Target> targets = List.of(new Target("direct", upstreamBaseUrl + "/chat/completions", -1),
					new Target("proxy", proxy.baseUrl() + "/v1/chat/completions", proxy.pid()),
					new Target("gateway", gateway.baseUrl() + "/v1/chat/completions", gateway.pid()));
			GatewayBenchmark benchmark = new GatewayBenchmark(settings, results, client);
			benchmark.checkEachReachesTheUpstream(targets, upstream, upstreamPort, client);
			if (embeddingsOnly) {
				// --embeddings-only: the /v1/embeddings rows alone (about two minutes in the full settings).
				upstream.behave(upstreamPort, "delay=0ms");
				benchmark.embeddingsAtOneInFlight(upstreamBaseUrl, proxy.baseUrl(), gateway.baseUrl(), proxy.pid(),
						gateway.pid());
				return;
			}
			progress("all three serve; warming up");
			upstream.behave(upstreamPort, "delay=0ms");
			benchmark.warmUp(targets);
			progress("latency at 1 in flight");
			benchmark.latencyAtOneInFlight(targets);
			progress("concurrency sweep, 20 ms upstream");
			upstream.behave(upstreamPort, "delay=20ms");
			benchmark.concurrencySweep(targets);
			progress("maximum throughput");
			upstream.behave(upstreamPort, "delay=0ms");
			benchmark.maximumThroughput(targets, wrk);
			progress("fixed rates");
			benchmark.fixedRates(targets);
			if (profile == null) {
				// A profile is of chat completions: 19 MB embedding answers would fill its allocation graph.
				progress("embeddings at 1 in flight");
				benchmark.embeddingsAtOneInFlight(upstreamBaseUrl, proxy.baseUrl(), gateway.baseUrl(), proxy.pid(),
						gateway.pid());
			}
			progress("done");
			results.row("gateway resident memory after the run (VmRSS)",
					String.format("%.0f MiB", gateway.residentBytes() / 1048576.0));
		}
	}

	private static final long STARTED = System.nanoTime();

	/** A line in the part's log (not a row: rows start with two spaces). */
	private static void progress(String step) {
		System.out.printf("[gateway %5.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, step);
	}

	private static Map<String, String> gatewayProperties(String upstreamBaseUrl) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("llm.fallback.providers.up.type", "openai");
		properties.put("llm.fallback.providers.up.base-url", upstreamBaseUrl);
		properties.put("llm.fallback.providers.up.api-key", "bench");
		// The default (100) would cap the 256-in-flight step at 100 upstream calls; the proxy gets the same.
		properties.put("llm.fallback.providers.up.max-connections", Integer.toString(UPSTREAM_POOL));
		properties.put("llm.fallback.models.bench-model.provider", "up");
		properties.put("llm.fallback.policies.bench.models", "bench-model");
		properties.put("llm.fallback.policies.bench.retry.max-retries", "0");
		properties.put("llm.fallback.default-policy", "bench");
		properties.put("llm.fallback.models.bench-embed.provider", "up");
		properties.put("llm.fallback.models.bench-embed.model", "text-embedding-3-small");
		properties.put("llm.fallback.models.bench-embed.type", "embedding");
		properties.put("llm.fallback.policies.bench-embed.models", "bench-embed");
		properties.put("llm.fallback.policies.bench-embed.retry.max-retries", "0");
		return properties;
	}

	/** One request through each side must reach the upstream exactly once and answer 200. */
	private void checkEachReachesTheUpstream(List<Target> targets, UpstreamProcess upstream, int upstreamPort,
			LoadClient client) {
		for (Target target : targets) {
			upstream.reset(upstreamPort);
			Integer status = client.post(target.url()).block(Duration.ofSeconds(15));
			long reached = upstream.requests(upstreamPort);
			if (status == null || status != 200 || reached != 1) {
				throw new IllegalStateException(target.name() + " answered " + status + " and reached the upstream "
						+ reached + " times (expected 200 and once)");
			}
		}
	}

	private void warmUp(List<Target> targets) {
		for (Target target : targets) {
			measureClosed(target, 16, this.settings.warmUp(), "warm-up");
		}
	}

	/** Added latency at one request in flight, zero-delay upstream: the gateway's own cost per request. */
	private void latencyAtOneInFlight(List<Target> targets) {
		Map<String, List<Measured>> rounds = interleave(targets, this.settings.latencyRounds(),
				(target) -> measureClosed(target, 1, this.settings.latencyRun(), "c1 latency"));
		Percentiles direct = Percentiles.of(rounds.get("direct"));
		Percentiles proxy = Percentiles.of(rounds.get("proxy"));
		Percentiles gateway = Percentiles.of(rounds.get("gateway"));
		double directP50 = direct.p50();
		double directP99 = direct.p99();
		double proxyP50 = proxy.p50();
		double proxyP99 = proxy.p99();
		double gatewayP50 = gateway.p50();
		double gatewayP99 = gateway.p99();
		String conditions = ", 1 in flight, zero-delay upstream, median of " + this.settings.latencyRounds() + " rounds";
		this.results.row("direct p50 / p99" + conditions, String.format("%.0f / %.0f µs", directP50, directP99));
		this.results.row("bare proxy added p50 / p99" + conditions,
				String.format("%+.0f / %+.0f µs", proxyP50 - directP50, proxyP99 - directP99));
		this.results.row("gateway added p50" + conditions,
				String.format("%+.0f µs (gateway %.0f µs)", gatewayP50 - directP50, gatewayP50), "≤ 200 µs",
				gatewayP50 - directP50 <= 200);
		this.results.row("gateway added p99" + conditions,
				String.format("%+.0f µs (gateway %.0f µs)", gatewayP99 - directP99, gatewayP99), "≤ 500 µs",
				gatewayP99 - directP99 <= 500);
		this.results.row("CPU at 1 in flight, zero delay: gateway / proxy",
				String.format("%.0f %% / %.0f %% of one core", median(rounds.get("gateway"), Measured::cpuPercent),
						median(rounds.get("proxy"), Measured::cpuPercent)));
		drift("c1 p50", List.of(rounds.get("direct")), (m) -> m.load().micros(50));
	}

	/** Throughput as a share of direct's, and added p99, from 1 to 256 in flight against a 20 ms upstream. */
	private void concurrencySweep(List<Target> targets) {
		// Opens the largest step's connections in every pool first, so no round pays for them.
		for (Target target : targets) {
			measureClosed(target, CONCURRENCIES[CONCURRENCIES.length - 1], this.settings.sweepRun(), "sweep warm-up");
		}
		List<List<Measured>> directSteps = new ArrayList<>();
		for (int concurrency : CONCURRENCIES) {
			Map<String, List<Measured>> rounds = interleave(targets, this.settings.sweepRounds(),
					(target) -> measureClosed(target, concurrency, this.settings.sweepRun(), "sweep c" + concurrency));
			directSteps.add(rounds.get("direct"));
			double direct = median(rounds.get("direct"), (m) -> m.load().rps());
			double proxy = median(rounds.get("proxy"), (m) -> m.load().rps());
			double gateway = median(rounds.get("gateway"), (m) -> m.load().rps());
			double directP99 = median(rounds.get("direct"), (m) -> m.load().micros(99));
			double proxyP99 = median(rounds.get("proxy"), (m) -> m.load().micros(99));
			double gatewayP99 = median(rounds.get("gateway"), (m) -> m.load().micros(99));
			String step = "c" + concurrency + ", 20 ms upstream";
			this.results.row(step + ": RPS direct / proxy / gateway; added p99 proxy / gateway",
					String.format("%.0f / %.0f / %.0f; %+.0f / %+.0f µs (direct p99 %.0f µs); CPU gateway %.0f %%, proxy %.0f %%", direct,
							proxy, gateway, proxyP99 - directP99, gatewayP99 - directP99, directP99,
							median(rounds.get("gateway"), Measured::cpuPercent),
							median(rounds.get("proxy"), Measured::cpuPercent)));
			String ratio = String.format("gateway %.1f %% (proxy %.1f %%)", 100 * gateway / direct,
					100 * proxy / direct);
			if (concurrency == 64 || concurrency == 256) {
				// Issue 17's targets (issue 13's were 99 and 85).
				double target = (concurrency == 64) ? 99 : 90;
				this.results.row(step + ": RPS as a share of direct", ratio, String.format("≥ %.0f %%", target),
						100 * gateway / direct >= target);
			}
			else {
				this.results.row(step + ": RPS as a share of direct", ratio);
			}
		}
		drift("sweep RPS", directSteps, (m) -> m.load().rps());
	}

	/**
	 * Maximum throughput with a zero-delay upstream (wrk, or the Java generator without it), and the
	 * gateway's requests per CPU-second as a share of the bare proxy's (issue 17's 70 % target).
	 */
	private void maximumThroughput(List<Target> targets, Wrk wrk) throws IOException, InterruptedException {
		Duration run = this.settings.maxRpsRun();
		if (wrk == null) {
			this.results.row("wrk", "not installed (apt-get install wrk): maximum RPS from the Java generator instead");
		}
		Map<String, Double> perCpu = new HashMap<>();
		for (Target target : targets) {
			long cpuBefore = cpuTicks(target.pid());
			long start = System.nanoTime();
			double rps;
			double p99;
			if (wrk != null) {
				Wrk.Run result = wrk.run(target.url(), 1, 32, run);
				if (result.errors() > 0) {
					throw new IllegalStateException("wrk against " + target.name() + ": " + result.errors()
							+ " errors where none are expected\n" + result.output());
				}
				rps = result.rps();
				p99 = result.p99Micros();
			}
			else {
				LoadResult result = measureClosed(target, 32, run, "maximum RPS").load();
				rps = result.rps();
				p99 = result.micros(99);
			}
			double cpu = cpuPercent(target.pid(), cpuBefore, start);
			double perCpuSecond = rps / (cpu / 100);
			String cpuText = Double.isNaN(cpu) ? "" : String.format("; CPU %.0f %%, %.0f requests per CPU-second",
					cpu, perCpuSecond);
			this.results.row("maximum RPS, zero delay, " + ((wrk != null) ? "wrk -t1 -c32" : "Java generator c32") + ": "
					+ target.name(), String.format("%.0f RPS (p99 %.0f µs)%s", rps, p99, cpuText));
			if (!Double.isNaN(cpu)) {
				perCpu.put(target.name(), perCpuSecond);
			}
		}
		Double gateway = perCpu.get("gateway");
		Double proxy = perCpu.get("proxy");
		if (gateway != null && proxy != null) {
			double share = 100 * gateway / proxy;
			this.results.row("requests per CPU-second: the gateway's as a share of the bare proxy's (same wrk runs)",
					String.format("%.0f %% (%.0f / %.0f)", share, gateway, proxy), "≥ 70 %", share >= 70);
		}
	}

	/** Latency at fixed rates, counted from each request's intended start. */
	private void fixedRates(List<Target> targets) throws InterruptedException {
		for (int rate : this.settings.openRates()) {
			for (Target target : targets) {
				LoadResult result = this.openLoop.run(target.url(), rate, this.settings.openRun());
				expectNoErrors(target, result, "open loop " + rate + " rps");
				String name = "open loop " + rate + " rps, zero delay: " + target.name() + " p50 / p99 / p99.9 / max";
				String value = String.format("%.0f / %.0f / %.0f / %.0f µs", result.micros(50), result.micros(99),
						result.micros(99.9), result.latencies().getMaxValue() / 1_000.0);
				if (rate == TARGET_RATE && target.name().equals("gateway")) {
					this.results.row(name, value, "p99 ≤ 1 ms", result.micros(99) <= TARGET_P99_MICROS);
				}
				else {
					this.results.row(name, value);
				}
			}
		}
	}

	/**
	 * Issue 14: the added latency of {@code /v1/embeddings} at one request in flight, for one input
	 * and for a batch of 1,000 (1,536 numbers each, about 19 MB of answer), against the upstream
	 * directly and the bare proxy: decoding, checking and encoding the vectors is what the gateway
	 * adds. Its own clients, since the body differs from the chat one.
	 */
	private void embeddingsAtOneInFlight(String upstreamBaseUrl, String proxyBaseUrl, String gatewayBaseUrl,
			long proxyPid, long gatewayPid) {
		List<Target> targets = List.of(new Target("direct", upstreamBaseUrl + "/embeddings", -1),
				new Target("proxy", proxyBaseUrl + "/v1/embeddings", proxyPid),
				new Target("gateway", gatewayBaseUrl + "/v1/embeddings", gatewayPid));
		StringBuilder batch = new StringBuilder("{\"model\":\"bench-embed\",\"encoding_format\":\"float\",\"input\":[");
		for (int i = 0; i < 1000; i++) {
			batch.append((i > 0) ? "," : "").append("\"document number ").append(i).append('"');
		}
		String one = "{\"model\":\"bench-embed\",\"encoding_format\":\"float\",\"input\":\"Say hello.\"}";
		for (String[] body : new String[][] { { "1 input", one }, { "1,000 inputs", batch.append("]}").toString() } }) {
			try (LoadClient client = new LoadClient(4, body[1], Map.of())) {
				ClosedLoopLoad load = new ClosedLoopLoad(client);
				for (Target target : targets) {
					load.run(target.url(), 1, this.settings.warmUp());
				}
				Map<String, List<Measured>> rounds = interleave(targets, this.settings.latencyRounds(), (target) -> {
					LoadResult result = load.run(target.url(), 1, this.settings.latencyRun());
					expectNoErrors(target, result, "embeddings " + body[0]);
					return new Measured(result, 0);
				});
				Percentiles direct = Percentiles.of(rounds.get("direct"));
				Percentiles proxy = Percentiles.of(rounds.get("proxy"));
				Percentiles gateway = Percentiles.of(rounds.get("gateway"));
				this.results.row("embeddings, " + body[0] + ", 1 in flight: direct p50 / p99; added p50 / p99 proxy, gateway",
						String.format("%.0f / %.0f µs; %+.0f / %+.0f µs, %+.0f / %+.0f µs", direct.p50(), direct.p99(),
								proxy.p50() - direct.p50(), proxy.p99() - direct.p99(), gateway.p50() - direct.p50(),
								gateway.p99() - direct.p99()));
			}
		}
	}

	/** One side's latency: the medians, over its rounds, of each round's p50 and p99 in µs. */
	private record Percentiles(double p50, double p99) {

		static Percentiles of(List<Measured> rounds) {
			return new Percentiles(median(rounds, (m) -> m.load().micros(50)), median(rounds, (m) -> m.load().micros(99)));
		}

	}

	private Map<String, List<Measured>> interleave(List<Target> targets, int rounds,
			java.util.function.Function<Target, Measured> measure) {
		Map<String, List<Measured>> measured = new LinkedHashMap<>();
		targets.forEach((target) -> measured.put(target.name(), new ArrayList<>()));
		for (int round = 0; round < rounds; round++) {
			for (Target target : targets) {
				measured.get(target.name()).add(measure.apply(target));
			}
		}
		return measured;
	}

	private Measured measureClosed(Target target, int concurrency, Duration duration, String what) {
		long cpuBefore = cpuTicks(target.pid());
		long start = System.nanoTime();
		LoadResult result = this.closedLoop.run(target.url(), concurrency, duration);
		double cpu = cpuPercent(target.pid(), cpuBefore, start);
		expectNoErrors(target, result, what);
		return new Measured(result, cpu);
	}

	private static void expectNoErrors(Target target, LoadResult result, String what) {
		if (result.errors() > 0) {
			throw new IllegalStateException(what + " against " + target.name() + ": " + result.errors()
					+ " failed requests where none are expected");
		}
		if (result.answered() == 0) {
			throw new IllegalStateException(what + " against " + target.name() + ": no request completed");
		}
	}

	/**
	 * Flags a loaded machine: the largest deviation of a direct round from the median of its step.
	 * @param steps direct's rounds, per step
	 */
	private void drift(String what, List<List<Measured>> steps, ToDoubleFunction<Measured> figure) {
		if (steps.get(0).size() < 2) {
			this.results.row("direct baseline drift across rounds (" + what + ")", "one round: not checked");
			return;
		}
		double worst = 0;
		for (List<Measured> rounds : steps) {
			double median = median(rounds, figure);
			for (Measured round : rounds) {
				worst = Math.max(worst, Math.abs(figure.applyAsDouble(round) - median) / median);
			}
		}
		this.results.row("direct baseline drift across rounds (" + what + "), largest from its median",
				String.format("%.1f %%", 100 * worst), "≤ 10 % (else the run is suspect)", worst <= 0.10);
	}

	private static double median(List<Measured> rounds, ToDoubleFunction<Measured> figure) {
		double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	/** User plus system CPU ticks of a process so far, from /proc/PID/stat; -1 if unknown. */
	private static long cpuTicks(long pid) {
		if (pid < 0) {
			return -1;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static double cpuPercent(long pid, long ticksBefore, long startNanos) {
		long ticksAfter = cpuTicks(pid);
		if (ticksBefore < 0 || ticksAfter < 0) {
			return Double.NaN;
		}
		double seconds = (System.nanoTime() - startNanos) / 1e9;
		return 100 * (ticksAfter - ticksBefore) / TICKS_PER_SECOND / seconds;
	}

	/** @return the collector the flags choose ({@code -XX:+UseParallelGC} is "Parallel"), G1 when none */
	private static String collector(List<String> flags) {
		return flags.stream()
			.filter((flag) -> flag.startsWith("-XX:+Use") && flag.endsWith("GC"))
			.map((flag) -> flag.substring("-XX:+Use".length(), flag.length() - "GC".length()))
			.reduce((first, last) -> last)
			.orElse("G1");
	}

	private static int freePortOtherThan(int... taken) {
		while (true) {
			int port = BenchUpstream.refusedPort();
			if (java.util.Arrays.stream(taken).noneMatch((other) -> other == port)) {
				return port;
			}
		}
	}

}
