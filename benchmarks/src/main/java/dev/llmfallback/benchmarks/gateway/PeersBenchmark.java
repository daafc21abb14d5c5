package dev.llmfallback.benchmarks.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.HdrHistogram.Histogram;

import dev.llmfallback.benchmarks.BenchmarkMain;
import dev.llmfallback.benchmarks.GatewayProcess;
import dev.llmfallback.benchmarks.JvmFlags;
import dev.llmfallback.benchmarks.ResidentMemory;
import dev.llmfallback.benchmarks.Results;
import dev.llmfallback.benchmarks.streaming.SseClient;
import dev.llmfallback.benchmarks.upstream.BenchUpstream;
import dev.llmfallback.benchmarks.upstream.UpstreamProcess;

/**
 * Our gateway (the sample app, a two-model policy) beside Portkey's open-source gateway (a two-target
 * fallback config), both in front of the same {@link BenchUpstream} process, with the same
 * generators, in interleaved rounds (direct, ours, Portkey, repeated), every figure the median of the
 * round figures (issue 17, point 3). Each row shows ours, Portkey's and the ratio ours / Portkey's:
 *
 * <ol>
 * <li>resident memory (VmRSS) idle, after start-up and one request;</li>
 * <li>latency added at one request in flight, zero-delay upstream, p50 and p99;</li>
 * <li>the streamed first token added (one stream at a time, 8 chunks), p50 and p99;</li>
 * <li>requests per CPU-second at the maximum rate (wrk {@code -t1 -c32}, the Java generator without wrk);</li>
 * <li>peak resident memory under load: 64 in flight against a 20 ms upstream;</li>
 * <li>the failover time with a refused primary: latency added over direct at one in flight.</li>
 * </ol>
 *
 * Both gateways get the first target on the same upstream port (and the second on it too); in the
 * failover rows the first target is a loopback port nothing listens on, tried on every request by
 * both (Portkey has no circuit breaker; our policy's cooldown is 1 ns, so every request is the
 * half-open trial). Only loopback addresses are used. Portkey is installed by
 * {@code benchmarks/peers.sh}, which runs this class with {@code --portkey=DIR}.
 *
 * <p>Longer than most classes here: the six rows share the sides, the rounds and the helpers, and
 * splitting them would scatter one measurement protocol over several files.
 */
public final class PeersBenchmark {

	private static final List<String> SERVER_FLAGS = List.of("-Xms256m", "-Xmx256m");

	/**
	 * Our gateway's JVM flags: the upstream's by default; {@code -Dbenchmarks.peers.gatewayFlags="..."}
	 * measures others (the footprint flags of docs/CONTAINER.md).
	 */
	private static final List<String> GATEWAY_FLAGS = JvmFlags.fromProperty("benchmarks.peers.gatewayFlags",
			String.join(" ", SERVER_FLAGS));

	private static final int UPSTREAM_POOL = 512;

	private static final String STREAM_BODY = "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\","
			+ "\"content\":\"Say hello.\"}]}";

	/** Our policy whose primary is refused: the request's model names the policy. */
	private static final String REFUSED_BODY = LoadClient.BODY.replace("\"model\":\"bench\"", "\"model\":\"refused\"");

	private static final double TICKS_PER_SECOND = 100;

	private record Settings(Duration warmUp, int rounds, Duration latencyRun, Duration streamRun, Duration maxRpsRun,
			Duration loadRun) {
	}

	private static final Settings FULL = new Settings(Duration.ofSeconds(10), 5, Duration.ofSeconds(4),
			Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(5));

	private static final Settings SMOKE = new Settings(Duration.ofSeconds(1), 1, Duration.ofMillis(500),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1));

	/**
	 * One side measured, with its clients (Portkey's carry its config header).
	 * @param pid its process, -1 for direct
	 * @param refused the client whose requests meet a refused primary ({@code null} for direct, which uses {@code client})
	 */
	private record Side(String name, String url, long pid, LoadClient client, LoadClient refused, SseClient sse,
			Wrk wrk) implements AutoCloseable {

		@Override
		public void close() {
			this.client.close();
			if (this.refused != null) {
				this.refused.close();
			}
			this.sse.close();
		}

	}

	private final Settings settings;

	private final Results results = Results.of("peers");

	/** Portkey's failed requests (another status than 200, a connection error, a timeout), per step. */
	private final Map<String, Long> peerFailures = new LinkedHashMap<>();

	private PeersBenchmark(Settings settings) {
		this.settings = settings;
	}

	public static void main(String[] args) {
		List<String> options = List.of(args);
		Path portkeyDirectory = options.stream()
			.filter((option) -> option.startsWith("--portkey="))
			.map((option) -> Path.of(option.substring("--portkey=".length())))
			.findFirst()
			.orElse(Path.of("benchmarks/target/peers/portkey"));
		boolean smoke = options.contains("--smoke");
		BenchmarkMain.run("peers", () -> new PeersBenchmark(smoke ? SMOKE : FULL).run(portkeyDirectory));
	}

	private void run(Path portkeyDirectory) throws Exception {
		Path directory = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
		int upstreamPort = BenchUpstream.refusedPort();
		int refusedPort = BenchUpstream.refusedPort();
		int gatewayPort = BenchUpstream.refusedPort();
		int portkeyPort = BenchUpstream.refusedPort();
		if (List.of(upstreamPort, refusedPort, gatewayPort, portkeyPort).stream().distinct().count() < 4) {
			throw new IllegalStateException("two of the free ports handed out were the same: run again");
		}
		String upstreamBaseUrl = "http://127.0.0.1:" + upstreamPort + "/v1";
		String refusedBaseUrl = "http://127.0.0.1:" + refusedPort + "/v1";
		Map<String, String> portkeyHeaders = Map.of("x-portkey-config",
				PortkeyProcess.fallbackConfig(upstreamBaseUrl, upstreamBaseUrl));
		Map<String, String> portkeyRefusedHeaders = Map.of("x-portkey-config",
				PortkeyProcess.fallbackConfig(refusedBaseUrl, upstreamBaseUrl));
		Wrk plainWrk = Wrk.findOrNull(directory, "peers-wrk.lua", LoadClient.BODY, Map.of());
		Wrk portkeyWrk = Wrk.findOrNull(directory, "peers-portkey-wrk.lua", LoadClient.BODY, portkeyHeaders);
		this.results.row("setup: JDK " + System.getProperty("java.version") + ", Node.js " + nodeVersion() + ", "
				+ Runtime.getRuntime().availableProcessors() + " CPUs, unpinned; ours: sample app "
				+ String.join(" ", GATEWAY_FLAGS) + ", policy of two models; Portkey @portkey-ai/gateway 1.15.2 "
				+ "(@hono/node-server 1.13.8), fallback config of two targets; same upstream JVM, generator in the bench JVM",
				(plainWrk != null) ? "wrk present" : "wrk not installed");
		try (UpstreamProcess upstream = UpstreamProcess.start(SERVER_FLAGS, List.of(Integer.toString(upstreamPort)),
				directory.resolve("peers-upstream.log"));
				GatewayProcess gateway = GatewayProcess.start(GatewayProcess.sampleAppJar(Path.of(".")), GATEWAY_FLAGS,
						gatewayPort, gatewayProperties(upstreamBaseUrl, refusedBaseUrl),
						directory.resolve("peers-gateway.log"));
				PortkeyProcess portkey = PortkeyProcess.start(portkeyDirectory, portkeyPort,
						directory.resolve("peers-portkey.log"));
				Side direct = new Side("direct", upstreamBaseUrl + "/chat/completions", -1,
						new LoadClient(256, LoadClient.BODY, Map.of()), null,
						new SseClient(4, Duration.ofSeconds(10)), plainWrk);
				Side ours = new Side("ours", gateway.baseUrl() + "/v1/chat/completions", gateway.pid(),
						new LoadClient(256, LoadClient.BODY, Map.of()), new LoadClient(16, REFUSED_BODY, Map.of()),
						new SseClient(4, Duration.ofSeconds(10)), plainWrk);
				Side theirs = new Side("Portkey", portkey.chatUrl(), portkey.pid(),
						new LoadClient(256, LoadClient.BODY, portkeyHeaders),
						new LoadClient(16, LoadClient.BODY, portkeyRefusedHeaders),
						new SseClient(4, Duration.ofSeconds(10), portkeyHeaders), portkeyWrk)) {
			List<Side> sides = List.of(direct, ours, theirs);
			checkEachReachesTheUpstream(sides, upstream, upstreamPort);
			double oursIdle = residentMiB(ours.pid());
			double theirsIdle = residentMiB(theirs.pid());
			compare("resident memory idle (VmRSS after start-up and the check requests)", oursIdle, theirsIdle, "MiB",
					"%.0f", false);
			progress("warming up");
			for (Side side : sides) {
				closedLoop(side, side.client(), 16, this.settings.warmUp());
				streams(side, Duration.ofMillis(this.settings.warmUp().toMillis() / 2));
				if (side.refused() != null) {
					closedLoop(side, side.refused(), 4, Duration.ofMillis(this.settings.warmUp().toMillis() / 2));
				}
			}
			progress("latency at 1 in flight");
			Map<String, List<Histogram>> c1 = interleave(sides,
					(side) -> closedLoop(side, side.client(), 1, this.settings.latencyRun()));
			addedRows("added latency at 1 in flight, zero-delay upstream", c1);
			progress("streamed first token");
			Map<String, List<Histogram>> firstTokens = interleave(sides, (side) -> streams(side, this.settings.streamRun()));
			addedRows("streamed first token added, 1 stream at a time, 8 chunks", firstTokens);
			progress("requests per CPU-second");
			requestsPerCpuSecond(List.of(ours, theirs));
			progress("memory under load");
			upstream.behave(upstreamPort, "delay=20ms");
			memoryUnderLoad(List.of(ours, theirs));
			upstream.behave(upstreamPort, "delay=0ms");
			progress("failover, refused primary");
			Map<String, List<Histogram>> failover = interleave(sides, (side) -> closedLoop(side,
					(side.refused() != null) ? side.refused() : side.client(), 1, this.settings.latencyRun()));
			addedRows("failover time with a refused primary (added over direct), 1 in flight", failover);
			this.results.row("Portkey's failed requests (ours and direct's fail the run)", this.peerFailures.isEmpty() ? "none"
					: this.peerFailures + " (its log: peers-portkey.log)");
			progress("done");
		}
	}

	private static Map<String, String> gatewayProperties(String upstreamBaseUrl, String refusedBaseUrl) {
		Map<String, String> properties = new LinkedHashMap<>();
		provider(properties, "up", upstreamBaseUrl);
		provider(properties, "up2", upstreamBaseUrl);
		provider(properties, "refused", refusedBaseUrl);
		properties.put("llm.fallback.models.bench-model.provider", "up");
		properties.put("llm.fallback.models.bench-second.provider", "up2");
		properties.put("llm.fallback.models.refused-model.provider", "refused");
		properties.put("llm.fallback.policies.bench.models", "bench-model,bench-second");
		properties.put("llm.fallback.policies.bench.retry.max-retries", "0");
		properties.put("llm.fallback.policies.refused.models", "refused-model,bench-second");
		properties.put("llm.fallback.policies.refused.retry.max-retries", "0");
		// A refused connection cools its model at once; 1 ns makes every request the half-open trial, so
		// every request pays the refusal, as with Portkey, which tries its first target every time.
		properties.put("llm.fallback.policies.refused.cooldown.duration", "1ns");
		properties.put("llm.fallback.policies.refused.cooldown.max-duration", "1ns");
		properties.put("llm.fallback.default-policy", "bench");
		return properties;
	}

	private static void provider(Map<String, String> properties, String name, String baseUrl) {
		properties.put("llm.fallback.providers." + name + ".type", "openai");
		properties.put("llm.fallback.providers." + name + ".base-url", baseUrl);
		properties.put("llm.fallback.providers." + name + ".api-key", "bench");
		properties.put("llm.fallback.providers." + name + ".max-connections", Integer.toString(UPSTREAM_POOL));
	}

	/** Every side's plain, refused-primary and streamed requests answer 200 and reach the upstream once. */
	private void checkEachReachesTheUpstream(List<Side> sides, UpstreamProcess upstream, int port) {
		for (Side side : sides) {
			List<LoadClient> clients = (side.refused() != null) ? List.of(side.client(), side.refused())
					: List.of(side.client());
			for (LoadClient client : clients) {
				upstream.reset(port);
				Integer status = client.post(side.url()).block(Duration.ofSeconds(15));
				long reached = upstream.requests(port);
				if (status == null || status != 200 || reached != 1) {
					throw new IllegalStateException(side.name() + ((client == side.refused()) ? " (refused primary)" : "")
							+ " answered " + status + " and reached the upstream " + reached + " times (expected 200, once)");
				}
			}
			SseClient.StreamOutcome stream = side.sse().stream(side.url(), STREAM_BODY, 8).block(Duration.ofSeconds(15));
			if (stream == null || !stream.complete() || stream.chunks() != 8) {
				throw new IllegalStateException(side.name() + ": a streamed request did not complete with 8 chunks: "
						+ ((stream == null) ? "no answer" : "status " + stream.status() + ", " + stream.chunks()
								+ " chunks, done " + stream.done() + ", failure " + stream.failure()));
			}
		}
	}

	private Map<String, List<Histogram>> interleave(List<Side> sides, java.util.function.Function<Side, Histogram> measure) {
		Map<String, List<Histogram>> measured = new LinkedHashMap<>();
		sides.forEach((side) -> measured.put(side.name(), new ArrayList<>()));
		for (int round = 0; round < this.settings.rounds(); round++) {
			for (Side side : sides) {
				measured.get(side.name()).add(measure.apply(side));
			}
		}
		return measured;
	}

	private Histogram closedLoop(Side side, LoadClient client, int concurrency, Duration duration) {
		LoadResult result = new ClosedLoopLoad(client).run(side.url(), concurrency, duration);
		if (result.answered() == 0) {
			throw new IllegalStateException(side.name() + ": no request answered at c" + concurrency);
		}
		failed(side, result.errors(), "c" + concurrency);
		return result.latencies();
	}

	/**
	 * Failed requests fail the run when they are ours or direct's; Portkey's are counted and reported
	 * in a row of their own (a peer's hiccup under load is a figure, not a broken benchmark).
	 */
	private void failed(Side side, long count, String where) {
		if (count == 0) {
			return;
		}
		if (!side.name().equals("Portkey")) {
			throw new IllegalStateException(side.name() + ": " + count + " failed requests, " + where + " (expected none)");
		}
		this.peerFailures.merge(where, count, Long::sum);
	}

	/** Streams one after another for the duration: the first content delta's latency, in nanoseconds. */
	private Histogram streams(Side side, Duration duration) {
		Histogram firstTokens = new Histogram(3);
		long end = System.nanoTime() + duration.toNanos();
		do {
			SseClient.StreamOutcome outcome = side.sse().stream(side.url(), STREAM_BODY, 8).block(Duration.ofSeconds(15));
			if (outcome == null || !outcome.complete() || outcome.firstTokenNanos() < 0) {
				failed(side, 1, "streams");
			}
			else {
				firstTokens.recordValue(outcome.firstTokenNanos());
			}
		}
		while (System.nanoTime() < end);
		return firstTokens;
	}

	/** Two rows, p50 and p99: each side's figure minus direct's (medians of the rounds), and ours / Portkey's. */
	private void addedRows(String what, Map<String, List<Histogram>> rounds) {
		for (double percentile : new double[] { 50, 99 }) {
			ToDoubleFunction<Histogram> micros = (histogram) -> histogram.getValueAtPercentile(percentile) / 1_000.0;
			double direct = median(rounds.get("direct"), micros);
			double ours = median(rounds.get("ours"), micros) - direct;
			double theirs = median(rounds.get("Portkey"), micros) - direct;
			compare(String.format(Locale.ROOT, "%s, p%.0f (direct %.0f µs; median of %d round(s))", what, percentile,
					direct, this.settings.rounds()), ours, theirs, "µs", "%+.0f", false);
		}
	}

	/** wrk -t1 -c32 (or the Java generator at 32 in flight), zero delay, CPU of each gateway's process. */
	private void requestsPerCpuSecond(List<Side> sides) throws IOException, InterruptedException {
		Map<String, List<Double>> perCpuSecond = new LinkedHashMap<>();
		Map<String, List<Double>> rps = new LinkedHashMap<>();
		for (int round = 0; round < this.settings.rounds(); round++) {
			for (Side side : sides) {
				long ticksBefore = cpuTicks(side.pid());
				long start = System.nanoTime();
				double rate;
				if (side.wrk() != null) {
					Wrk.Run run = side.wrk().run(side.url(), 1, 32, this.settings.maxRpsRun());
					failed(side, run.errors(), "wrk c32");
					rate = run.rps();
				}
				else {
					LoadResult result = new ClosedLoopLoad(side.client()).run(side.url(), 32, this.settings.maxRpsRun());
					failed(side, result.errors(), "c32");
					rate = result.rps();
				}
				double cpuSeconds = (cpuTicks(side.pid()) - ticksBefore) / TICKS_PER_SECOND;
				double seconds = (System.nanoTime() - start) / 1e9;
				perCpuSecond.computeIfAbsent(side.name(), (name) -> new ArrayList<>()).add(rate * seconds / cpuSeconds);
				rps.computeIfAbsent(side.name(), (name) -> new ArrayList<>()).add(rate);
			}
		}
		String generator = (sides.get(0).wrk() != null) ? "wrk -t1 -c32" : "Java generator c32";
		compare("requests per CPU-second of the gateway's process, zero delay, " + generator + " (RPS ours "
				+ String.format(Locale.ROOT, "%.0f, Portkey %.0f", median(rps.get("ours")), median(rps.get("Portkey")))
				+ "; higher is better)", median(perCpuSecond.get("ours")), median(perCpuSecond.get("Portkey")), "", "%.0f",
				true);
	}

	/** 64 in flight against a 20 ms upstream; VmRSS sampled every 50 ms, the peak kept. */
	private void memoryUnderLoad(List<Side> sides) throws Exception {
		Map<String, Double> peaks = new LinkedHashMap<>();
		Map<String, Double> rps = new LinkedHashMap<>();
		for (Side side : sides) {
			ResidentMemory.Peak<LoadResult> run = ResidentMemory.peakDuring(side.pid(),
					() -> new ClosedLoopLoad(side.client()).run(side.url(), 64, this.settings.loadRun()));
			LoadResult result = run.result();
			failed(side, result.errors(), "c64, 20 ms");
			peaks.put(side.name(), run.bytes() / 1048576.0);
			rps.put(side.name(), result.rps());
		}
		compare(String.format(Locale.ROOT, "resident memory under load, peak VmRSS, 64 in flight, 20 ms upstream "
				+ "(RPS ours %.0f, Portkey %.0f)", rps.get("ours"), rps.get("Portkey")), peaks.get("ours"),
				peaks.get("Portkey"), "MiB", "%.0f", false);
	}

	/**
	 * A row with ours, Portkey's and the ratio, and whether ours is ahead.
	 * @param higherIsBetter whether ahead means a larger figure
	 */
	private void compare(String what, double ours, double theirs, String unit, String format, boolean higherIsBetter) {
		String suffix = unit.isEmpty() ? "" : " " + unit;
		String ratio = (theirs != 0 && Math.signum(ours) == Math.signum(theirs))
				? String.format(Locale.ROOT, "%.2f x", ours / theirs) : "n/a (signs differ)";
		boolean ahead = higherIsBetter ? ours > theirs : ours < theirs;
		this.results.row(what, String.format(Locale.ROOT, "ours " + format + "%s, Portkey " + format + "%s; ours / Portkey's %s",
				ours, suffix, theirs, suffix, ratio), higherIsBetter ? "ahead (ratio > 1)" : "ahead (ratio < 1)", ahead);
	}

	private static double median(List<Histogram> rounds, ToDoubleFunction<Histogram> figure) {
		return median(rounds.stream().mapToDouble(figure).boxed().toList());
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/** User plus system CPU ticks of a process so far, from /proc/PID/stat (fields 14 and 15). */
	private static long cpuTicks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read the CPU time of process " + pid, ex);
		}
	}

	private static double residentMiB(long pid) {
		try {
			return ResidentMemory.bytes(pid) / 1048576.0;
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read the memory of process " + pid, ex);
		}
	}

	private static String nodeVersion() {
		try {
			Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
			String version = new String(node.getInputStream().readAllBytes()).trim();
			node.waitFor();
			return version;
		}
		catch (IOException ex) {
			return "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	private static final long STARTED = System.nanoTime();

	private static void progress(String step) {
		System.out.printf("[peers %5.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, step);
	}

}
