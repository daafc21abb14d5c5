package dev.llmfallback.benchmarks.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;

import dev.llmfallback.benchmarks.BenchmarkMain;
import dev.llmfallback.benchmarks.GatewayProcess;
import dev.llmfallback.benchmarks.JvmFlags;
import dev.llmfallback.benchmarks.ResidentMemory;
import dev.llmfallback.benchmarks.Results;
import dev.llmfallback.benchmarks.gateway.ClosedLoopLoad;
import dev.llmfallback.benchmarks.gateway.LoadClient;
import dev.llmfallback.benchmarks.gateway.LoadResult;
import dev.llmfallback.benchmarks.streaming.SseClient;
import dev.llmfallback.benchmarks.streaming.SseClient.StreamOutcome;
import dev.llmfallback.benchmarks.streaming.StreamingBenchmark;
import dev.llmfallback.benchmarks.upstream.Behaviour;
import dev.llmfallback.benchmarks.upstream.BenchUpstream;
import dev.llmfallback.benchmarks.upstream.UpstreamProcess;

/**
 * The gateway's resident memory (VmRSS of its process, {@link GatewayProcess#residentBytes()}) at a
 * heap bounded at 256 MB ({@code -Xms32m -Xmx256m}, G1, every flag in effect recorded). The heap
 * starts small and may grow to its bound: with {@code -Xms} equal to {@code -Xmx}, G1 keeps every
 * heap page it ever touched, so idle RSS would measure the warm-up's garbage, not the gateway; and
 * what the streams cost shows as growth instead of landing in pages already touched.
 * <ul>
 * <li><b>idle</b>: after start and a warm-up of plain and streamed requests, a full GC
 * ({@code jcmd GC.run}) and a settle, the median of several samples; with the JVM's own account
 * (Native Memory Tracking, committed total) for the record;</li>
 * <li><b>peak under load</b>: 64 requests in flight (closed loop) against a 20 ms upstream, VmRSS
 * sampled every 50 ms, the peak kept (the load of the peers comparison's memory row);</li>
 * <li><b>per open stream</b>: a thousand slow streams held open through the gateway (the upstream
 * sends one chunk a second), the steady RSS minus idle, per stream; the live heap per stream (used
 * after a full GC) for the record, and how far RSS comes back once they have closed;</li>
 * <li><b>soak</b>: a steady open-loop mix of plain and streamed requests at a fixed rate for ten
 * minutes ({@code --soak=10m}), RSS sampled every few seconds: the slope over the second half
 * (least squares, MB per minute) must be flat.</li>
 * </ul>
 * The upstream ({@link UpstreamProcess}) and this client run in processes of their own, so their
 * memory is not counted. {@code --smoke}: a few hundred warm-up requests, 100 streams, a 10 s soak.
 *
 * <p>Over 300 lines: the four phases run on one gateway process in order (each phase's baseline is
 * the previous one's end), so they share its settings, its jcmd readings and its upstream.
 */
public final class MemoryBenchmark {

	/**
	 * The gateway's JVM flags; {@code -Dbenchmarks.memory.gatewayFlags="-Xmx128m ..."} measures others.
	 * Native Memory Tracking costs a little memory itself; it is on so that the JVM's account can be read.
	 */
	static final List<String> GATEWAY_FLAGS = JvmFlags.fromProperty("benchmarks.memory.gatewayFlags",
			"-Xms32m -Xmx256m -XX:NativeMemoryTracking=summary");

	private static final double MB = 1024 * 1024;

	private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

	/** G1's one heap line, or one per generation: JDK 17 names them "def new generation", JDK 25 "DefNew". */
	private static final Pattern HEAP_USED = Pattern
		.compile("(?:heap|generation|DefNew|Tenured|PSYoungGen|ParOldGen)\\s+total (\\d+)K, used (\\d+)K");

	private static final Pattern HEAP_RANGE = Pattern.compile("heap\\s+total \\d+K, used \\d+K \\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)");

	private static final Pattern NMT_CATEGORY = Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

	private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");

	/** What a flat soak means: the second half's slope within this many MB per minute... */
	private static final double FLAT_SLOPE = 1.0;

	/** ... and the last sample within this fraction of the second half's median. */
	private static final double FLAT_LAST = 0.10;

	private final Settings settings;

	private final Results results;

	private MemoryBenchmark(Settings settings, Results results) {
		this.settings = settings;
		this.results = results;
	}

	/** How much of each phase to run. */
	record Settings(int warmupRequests, Duration settle, int idleSamples, Duration sampleInterval, Duration loadRun,
			int streams, Duration ramp, Duration steadyWait, Duration streamPace, int streamChunks, Duration soak,
			Duration soakSampleInterval, int soakRate) {

		// The slow streams outlast the ramp, the wait for a steady state, the samples and a GC.
		static Settings full(Duration soak) {
			return new Settings(1000, Duration.ofSeconds(10), 10, Duration.ofSeconds(1), Duration.ofSeconds(30), 1000,
					Duration.ofSeconds(2),
					Duration.ofSeconds(15), Duration.ofSeconds(1), 40, soak, Duration.ofSeconds(5), 200);
		}

		static Settings smoke(Duration soak) {
			return new Settings(300, Duration.ofSeconds(1), 3, Duration.ofMillis(500), Duration.ofSeconds(3), 100,
					Duration.ofMillis(500),
					Duration.ofSeconds(1), Duration.ofMillis(250), 24, soak, Duration.ofSeconds(1), 100);
		}

	}

	public static void main(String[] args) {
		boolean smoke = Arrays.asList(args).contains("--smoke");
		Duration soak = smoke ? Duration.ofSeconds(10) : Duration.ofMinutes(10);
		for (String arg : args) {
			if (arg.startsWith("--soak=")) {
				soak = Behaviour.duration(arg.substring("--soak=".length()));
			}
		}
		Settings settings = smoke ? Settings.smoke(soak) : Settings.full(soak);
		BenchmarkMain.run("memory", () -> new MemoryBenchmark(settings, Results.of("memory")).run());
	}

	private void run() throws Exception {
		Path logs = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
		int upstreamPort = BenchUpstream.refusedPort();
		int gatewayPort = BenchUpstream.refusedPort();
		Map<String, String> properties = StreamingBenchmark.gatewayProperties(upstreamPort, this.settings.streams() + 100);
		// The slow streams last longer than the default deadline would let a request run.
		properties.put("llm.fallback.policies." + StreamingBenchmark.POLICY + ".deadline", "10m");
		try (UpstreamProcess upstream = UpstreamProcess.start(StreamingBenchmark.UPSTREAM_FLAGS,
				List.of(Integer.toString(upstreamPort)), logs.resolve("memory-upstream.log"));
				GatewayProcess gateway = GatewayProcess.start(GatewayProcess.sampleAppJar(Path.of(".")), GATEWAY_FLAGS,
						gatewayPort, properties, logs.resolve("memory-gateway.log"));
				SseClient client = new SseClient(this.settings.streams() + 100, Duration.ofSeconds(30))) {
			String url = gateway.baseUrl() + "/v1/chat/completions";
			this.results.row("gateway JVM flags (command line)", String.join(" ", GATEWAY_FLAGS));
			this.results.row("client JVM flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
					+ "; Java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
					+ " CPUs");
			long started = System.nanoTime();
			Idle idle = idle(upstream, upstreamPort, gateway, client, url);
			System.out.printf("memory: idle measured after %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
			peakUnderLoad(upstream, upstreamPort, gateway, url);
			System.out.printf("memory: peak under load measured after %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
			perStream(upstream, upstreamPort, gateway, client, url, idle);
			System.out.printf("memory: streams measured after %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
			soak(upstream, upstreamPort, gateway, client, url);
			System.out.printf("memory: soak done after %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
		}
	}

	/**
	 * The gateway at rest.
	 * @param rss resident bytes
	 * @param heapUsed heap in use after a full GC
	 */
	private record Idle(long rss, long heapUsed) {
	}

	private Idle idle(UpstreamProcess upstream, int port, GatewayProcess gateway, SseClient client, String url)
			throws IOException, InterruptedException {
		Settings s = this.settings;
		upstream.behave(port, "mode=ok&delay=0ms&chunks=8&chunkInterval=0ms");
		String plain = plainBody();
		String streamed = StreamingBenchmark.body(StreamingBenchmark.POLICY);
		// Four in one: three plain requests to one stream, eight in flight.
		long failed = Flux.range(0, s.warmupRequests())
			.flatMap((i) -> (i % 4 == 3)
					? client.stream(url, streamed, 8).map((outcome) -> outcome.complete() && outcome.chunks() == 8)
					: client.send(url, plain).map((status) -> status == 200), 8)
			.filter((ok) -> !ok)
			.count()
			.block(Duration.ofMinutes(2));
		if (failed > 0) {
			throw new IllegalStateException(failed + " of " + s.warmupRequests() + " warm-up requests failed");
		}
		// One jcmd for all (each one starts a JVM): a full GC, then the heap, NMT's account and the flags.
		String report = jcmd(gateway, "GC.run\nGC.heap_info\nVM.native_memory summary\nVM.flags");
		Matcher flags = Pattern.compile("(?m)^-XX:.*$").matcher(report);
		this.results.row("gateway JVM flags in effect (jcmd VM.flags)", flags.find() ? flags.group() : "?");
		Thread.sleep(s.settle().toMillis());
		long idle = medianRss(gateway, s.idleSamples(), s.sampleInterval());
		long heapPages = heapResident(gateway, report);
		this.results.row("idle RSS (after " + s.warmupRequests() + " requests, a GC and " + s.settle().toSeconds()
				+ " s; median of " + s.idleSamples() + " samples)", mb(idle) + " (Java heap pages touched " + mb(heapPages)
						+ ", the rest " + mb(idle - heapPages) + ")",
				"≤ 100 MB", idle <= 100 * MB);
		Matcher nmt = NMT_TOTAL.matcher(report);
		if (nmt.find()) {
			Map<String, Long> categories = nmtCategories(report);
			this.results.row("idle, the JVM's own account (NMT committed)",
					mb(Long.parseLong(nmt.group(2)) * 1024) + " total; " + largestCategories(categories, 6));
			// The tracking's own tables are resident too: the idle RSS above less them is the figure without NMT.
			long tracking = categories.getOrDefault("Native Memory Tracking", 0L);
			this.results.row("idle RSS without NMT's own tables (" + mb(tracking) + ")", mb(idle - tracking));
		}
		histogram(gateway, "idle");
		return new Idle(idle, heapUsed(report));
	}

	/**
	 * With {@code -Dbenchmarks.memory.histograms=true}, writes the gateway's class histogram (live
	 * objects, after the full GC that {@code GC.class_histogram} makes) to
	 * {@code memory-histogram-STATE.txt} beside the results: idle and with the streams open, the
	 * difference is what each stream holds, class by class.
	 */
	private static void histogram(GatewayProcess gateway, String state) throws IOException {
		if (Boolean.getBoolean("benchmarks.memory.histograms")) {
			Path results = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
			Files.writeString(results.resolve("memory-histogram-" + state + ".txt"), jcmd(gateway, "GC.class_histogram"));
		}
	}

	/** 64 in flight, closed loop, against a 20 ms upstream; VmRSS sampled every 50 ms, the peak kept. */
	private void peakUnderLoad(UpstreamProcess upstream, int port, GatewayProcess gateway, String url)
			throws Exception {
		Settings s = this.settings;
		upstream.behave(port, "mode=ok&delay=20ms");
		String plain = plainBody();
		ResidentMemory.Peak<LoadResult> run;
		// The peers comparison's generator: a closed loop, each answer read whole, keep-alive connections.
		try (LoadClient load = new LoadClient(64, plain, Map.of())) {
			run = ResidentMemory.peakDuring(gateway.pid(), () -> new ClosedLoopLoad(load).run(url, 64, s.loadRun()));
		}
		LoadResult result = run.result();
		long peak = run.bytes();
		long failed = result.errors();
		this.results.row("peak RSS under load (64 in flight, 20 ms upstream, " + s.loadRun().toSeconds() + " s; VmRSS every"
				+ " 50 ms; " + result.answered() + " answered, " + failed + " failed, " + Math.round(result.rps()) + " RPS)",
				mb(peak), "≤ 220 MB, 0 failed", peak <= 220 * MB && failed == 0);
		if (failed > 0) {
			throw new IllegalStateException(failed + " requests failed at 64 in flight");
		}
	}

	private void perStream(UpstreamProcess upstream, int port, GatewayProcess gateway, SseClient client, String url,
			Idle idleState) throws IOException, InterruptedException {
		Settings s = this.settings;
		long idle = idleState.rss();
		long heapIdle = idleState.heapUsed();
		upstream.behave(port, "mode=ok&delay=0ms&chunks=" + s.streamChunks() + "&chunkInterval="
				+ s.streamPace().toMillis() + "ms");
		String body = StreamingBenchmark.body(StreamingBenchmark.POLICY);
		List<CompletableFuture<StreamOutcome>> outcomes = new ArrayList<>(s.streams());
		// Opened along a ramp, not in one burst.
		long start = System.nanoTime();
		long step = s.ramp().toNanos() / s.streams();
		for (int i = 0; i < s.streams(); i++) {
			LockSupport.parkNanos(start + i * step - System.nanoTime());
			outcomes.add(client.stream(url, body, s.streamChunks()).toFuture());
		}
		long openUntil = start + s.streamPace().toNanos() * s.streamChunks();
		// Steady: every stream open, and three samples within 1 MB of each other (or the wait is over).
		long[] recent = new long[3];
		int samples = 0;
		long steadyBy = System.nanoTime() + s.steadyWait().toNanos();
		while (System.nanoTime() < steadyBy) {
			Thread.sleep(s.sampleInterval().toMillis());
			recent[samples++ % 3] = gateway.residentBytes();
			if (samples >= 3 && client.open() == s.streams()
					&& Arrays.stream(recent).max().getAsLong() - Arrays.stream(recent).min().getAsLong() < MB) {
				break;
			}
		}
		int open = client.open();
		long steady = medianRss(gateway, 5, s.sampleInterval());
		double perStream = (double) (steady - idle) / s.streams();
		this.results.row("RSS with " + s.streams() + " streams open (" + open + " open when sampled; 1 chunk every "
				+ s.streamPace().toMillis() + " ms; steady after " + samples + " samples)", mb(steady) + " (idle + " + mb(steady - idle) + ")");
		this.results.row("RSS per open stream ((steady - idle) / " + s.streams() + ")",
				String.format("%.1f KB", perStream / 1024), "≤ 24 KB", perStream <= 24 * 1024 && open == s.streams());
		long heapOpen = heapUsed(jcmd(gateway, "GC.run\nGC.heap_info"));
		this.results.row("live heap per open stream (heap used after a full GC, minus idle, / " + s.streams() + ")",
				String.format("%.1f KB", (double) (heapOpen - heapIdle) / s.streams() / 1024));
		histogram(gateway, "streams");
		int complete = 0;
		for (CompletableFuture<StreamOutcome> future : outcomes) {
			try {
				StreamOutcome outcome = future.get(Math.max(1, openUntil - System.nanoTime()) + TimeUnit.SECONDS.toNanos(30),
						TimeUnit.NANOSECONDS);
				if (outcome.complete() && outcome.chunks() == s.streamChunks()) {
					complete++;
				}
			}
			catch (Exception ex) {
				// Counted as incomplete below.
			}
		}
		jcmd(gateway, "GC.run");
		Thread.sleep(s.settle().toMillis());
		long after = medianRss(gateway, s.idleSamples(), s.sampleInterval());
		this.results.row("RSS after the streams closed (a GC and " + s.settle().toSeconds() + " s later; " + complete + "/"
				+ s.streams() + " streams complete)", mb(after) + " (idle " + signedMb(after - idle) + ")");
		if (complete < s.streams()) {
			throw new IllegalStateException((s.streams() - complete) + " of " + s.streams()
					+ " slow streams did not carry every chunk and [DONE]");
		}
	}

	private void soak(UpstreamProcess upstream, int port, GatewayProcess gateway, SseClient client, String url)
			throws IOException {
		Settings s = this.settings;
		upstream.behave(port, "mode=ok&delay=0ms&chunks=8&chunkInterval=10ms");
		String plain = plainBody();
		String streamed = StreamingBenchmark.body(StreamingBenchmark.POLICY);
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		long interval = TimeUnit.SECONDS.toNanos(1) / s.soakRate();
		List<double[]> samples = new ArrayList<>();
		long start = System.nanoTime();
		long end = start + s.soak().toNanos();
		long nextSample = start;
		long sent = 0;
		// Open loop: each request leaves at its own time, whether or not earlier ones have answered.
		for (long due = start; due < end; due += interval) {
			long now = System.nanoTime();
			if (now >= nextSample) {
				samples.add(new double[] { (now - start) / 60e9, gateway.residentBytes() / MB });
				nextSample += s.soakSampleInterval().toNanos();
			}
			if (due > now) {
				LockSupport.parkNanos(due - now);
			}
			// One request in five is streamed.
			if (sent++ % 5 == 4) {
				client.stream(url, streamed, 8)
					.subscribe((outcome) -> count(outcome.complete() && outcome.chunks() == 8, ok, failed));
			}
			else {
				client.send(url, plain).subscribe((status) -> count(status == 200, ok, failed));
			}
		}
		samples.add(new double[] { (System.nanoTime() - start) / 60e9, gateway.residentBytes() / MB });
		long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (ok.get() + failed.get() < sent && System.nanoTime() < drainUntil) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		List<double[]> secondHalf = samples.subList(samples.size() / 2, samples.size());
		double slope = slope(secondHalf);
		double[] rss = secondHalf.stream().mapToDouble((sample) -> sample[1]).sorted().toArray();
		double median = rss[rss.length / 2];
		double last = samples.get(samples.size() - 1)[1];
		boolean flat = Math.abs(slope) <= FLAT_SLOPE && Math.abs(last - median) <= FLAT_LAST * median;
		String conditions = s.soak().toSeconds() + " s at " + s.soakRate() + " requests/s, 1 in 5 streamed (8 chunks every"
				+ " 10 ms); RSS every " + s.soakSampleInterval().toSeconds() + " s";
		this.results.row("soak (" + conditions + "): requests answered", ok.get() + " ok, " + failed.get() + " failed, "
				+ (sent - ok.get() - failed.get()) + " unanswered of " + sent, "0 failed", failed.get() == 0
						&& ok.get() == sent);
		this.results.row("soak RSS: first / median of second half / last / max",
				String.format("%.0f / %.0f / %.0f / %.0f MB", samples.get(0)[1], median, last,
						samples.stream().mapToDouble((sample) -> sample[1]).max().getAsDouble()));
		this.results.row("soak RSS slope over the second half (least squares)",
				String.format("%+.2f MB/min", slope),
				"flat: within ±" + FLAT_SLOPE + " MB/min, last sample within " + Math.round(FLAT_LAST * 100)
						+ " % of the median",
				flat);
		if (ok.get() == 0) {
			throw new IllegalStateException("no soak request was answered in " + Math.round(seconds) + " s");
		}
	}

	private static void count(boolean success, AtomicLong ok, AtomicLong failed) {
		(success ? ok : failed).incrementAndGet();
	}

	/** The least-squares slope of y over x. */
	static double slope(List<double[]> points) {
		if (points.size() < 2) {
			return 0;
		}
		double meanX = points.stream().mapToDouble((point) -> point[0]).average().orElse(0);
		double meanY = points.stream().mapToDouble((point) -> point[1]).average().orElse(0);
		double covariance = 0;
		double variance = 0;
		for (double[] point : points) {
			covariance += (point[0] - meanX) * (point[1] - meanY);
			variance += (point[0] - meanX) * (point[0] - meanX);
		}
		return (variance == 0) ? 0 : covariance / variance;
	}

	private static String plainBody() {
		return "{\"model\":\"" + StreamingBenchmark.POLICY + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
	}

	private static long medianRss(GatewayProcess gateway, int samples, Duration interval)
			throws IOException, InterruptedException {
		long[] rss = new long[samples];
		for (int i = 0; i < samples; i++) {
			if (i > 0) {
				Thread.sleep(interval.toMillis());
			}
			rss[i] = gateway.residentBytes();
		}
		Arrays.sort(rss);
		return rss[samples / 2];
	}

	/**
	 * The resident part of the Java heap's mapping, from {@code /proc/PID/smaps}: the heap pages ever
	 * touched (G1 keeps them all at {@code -Xms} = {@code -Xmx}).
	 */
	private static long heapResident(GatewayProcess gateway, String info) throws IOException {
		Matcher range = HEAP_RANGE.matcher(info);
		if (!range.find()) {
			// Only G1 prints the heap's whole address range; other collectors: not split out.
			return 0;
		}
		long from = Long.parseUnsignedLong(range.group(1), 16);
		long to = Long.parseUnsignedLong(range.group(2), 16);
		long resident = 0;
		boolean inHeap = false;
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(gateway.pid()), "smaps"))) {
			Matcher mapping = MAPPING.matcher(line);
			if (mapping.find()) {
				inHeap = Long.parseUnsignedLong(mapping.group(1), 16) >= from
						&& Long.parseUnsignedLong(mapping.group(2), 16) <= to;
			}
			else if (inHeap && line.startsWith("Rss:")) {
				resident += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		return resident;
	}

	/** The committed bytes of each category of an NMT summary, by name, in the summary's order. */
	private static Map<String, Long> nmtCategories(String summary) {
		Map<String, Long> categories = new LinkedHashMap<>();
		Matcher category = NMT_CATEGORY.matcher(summary);
		while (category.find()) {
			categories.put(category.group(1).trim(), Long.parseLong(category.group(2)) * 1024);
		}
		return categories;
	}

	/** The largest committed categories, such as {@code Java Heap 256.0 MB, GC 46.5 MB}. */
	private static String largestCategories(Map<String, Long> categories, int count) {
		return categories.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(count)
			.map((entry) -> entry.getKey() + " " + mb(entry.getValue()))
			.collect(Collectors.joining(", "));
	}

	/** The heap in use, from the output of {@code jcmd GC.heap_info}. */
	private static long heapUsed(String info) throws IOException {
		// G1 prints one heap line; generational collectors (Serial, Parallel) one per generation.
		Matcher used = HEAP_USED.matcher(info);
		long total = 0;
		boolean found = false;
		while (used.find()) {
			total += Long.parseLong(used.group(2)) * 1024;
			found = true;
		}
		if (!found) {
			throw new IOException("no heap figures in jcmd GC.heap_info: " + info);
		}
		return total;
	}

	/**
	 * Runs {@code jcmd PID COMMAND...} with the JDK that runs this benchmark, and answers its output.
	 * Several commands can go in one call, separated by {@code \n}.
	 */
	private static String jcmd(GatewayProcess gateway, String... command) throws IOException {
		List<String> line = new ArrayList<>();
		line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
		line.add(Long.toString(gateway.pid()));
		line.addAll(List.of(command));
		Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
			}
			return output;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while running jcmd", ex);
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static String mb(double bytes) {
		return String.format("%.1f MB", bytes / MB);
	}

	private static String signedMb(double bytes) {
		return String.format("%+.1f MB", bytes / MB);
	}

}
