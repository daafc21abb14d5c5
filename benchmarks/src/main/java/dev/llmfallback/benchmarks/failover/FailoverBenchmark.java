package dev.llmfallback.benchmarks.failover;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.llmfallback.benchmarks.GatewayProcess;
import dev.llmfallback.benchmarks.Results;
import dev.llmfallback.benchmarks.failover.InterleavedRounds.Probe;
import dev.llmfallback.benchmarks.failover.InterleavedRounds.Target;
import dev.llmfallback.benchmarks.failover.InterleavedRounds.Unexpected;
import dev.llmfallback.benchmarks.upstream.BenchUpstream;
import dev.llmfallback.benchmarks.upstream.UpstreamProcess;

/**
 * How long a fallback takes, measured through the gateway (the sample app in its own process) with
 * a chain primary → secondary on two local upstream ports, the primary failing as each case says:
 * refused, 503, 429, hanging, slow headers, cooling down, coming back, failing a stream before its
 * first byte or in its middle. Each case is compared with the same request sent through a policy
 * whose chain is only the secondary (so that the difference is the failover alone) and with the
 * secondary upstream called directly, in interleaved rounds. The upstreams count the calls they get,
 * so the attempts per request are checked exactly.
 *
 * <p>Run by {@code benchmarks/run.sh failover}; {@code --smoke} runs a few requests per case only.
 * Naming cases ({@code refused status timeout cooling restored stream midstream}) runs only those;
 * {@code -Dfailover.jfr=FILE} records a JFR profile of the gateway.
 */
public final class FailoverBenchmark {

	private static final List<String> GATEWAY_FLAGS = List.of("-Xms256m", "-Xmx256m");

	private static final List<String> UPSTREAM_FLAGS = List.of("-Xms128m", "-Xmx128m");

	private static final Duration T = FailoverConfig.ATTEMPT_TIMEOUT;

	/** The pace of requests in the restore case. */
	private static final Duration PACE = Duration.ofMillis(10);

	/** One model of {@code /actuator/fallbacks/POLICY} (no nested objects; null fields are left out). */
	private static final Pattern MODEL = Pattern.compile("\\{\"model\":\"([^\"]+)\"[^}]*}");

	private static final Pattern STATE = Pattern.compile("\"state\":\"(\\w+)\"");

	private static final Pattern COOLDOWN_UNTIL = Pattern.compile("\"cooldownUntil\":\"([^\"]+)\"");

	private static final List<String> CASES = List.of("refused", "status", "timeout", "cooling", "restored", "stream",
			"midstream");

	private final boolean smoke;

	/** The cases to run; all when empty. */
	private final List<String> only;

	private final Results results = Results.of("failover");

	private final ChatClient client = new ChatClient();

	/** Reads the gateway's cooldown states ({@code /actuator/fallbacks}). */
	private final java.net.http.HttpClient actuator = java.net.http.HttpClient.newBuilder()
		.version(java.net.http.HttpClient.Version.HTTP_1_1)
		.build();

	/** Why the run is broken (errors where none were expected); empty if it is not. */
	private final List<String> broken = new ArrayList<>();

	private final List<String> drifts = new ArrayList<>();

	private double worstDrift;

	private UpstreamProcess upstreams;

	private GatewayProcess gateway;

	private int primary;

	private int secondary;

	private URI gatewayChat;

	private URI directChat;

	private FailoverBenchmark(boolean smoke, List<String> only) {
		this.smoke = smoke;
		this.only = only;
	}

	private boolean runs(String name) {
		return this.only.isEmpty() || this.only.contains(name);
	}

	public static void main(String[] args) throws Exception {
		boolean smoke = List.of(args).contains("--smoke");
		List<String> only = new ArrayList<>();
		for (String arg : args) {
			if (CASES.contains(arg)) {
				only.add(arg);
			}
			else if (!arg.equals("--smoke")) {
				System.err.println("usage: FailoverBenchmark [--smoke] [" + String.join("|", CASES) + " ...]");
				System.exit(2);
			}
		}
		FailoverBenchmark benchmark = new FailoverBenchmark(smoke, only);
		Thread cleanup = new Thread(benchmark::stop);
		Runtime.getRuntime().addShutdownHook(cleanup);
		try {
			benchmark.run();
		}
		catch (Exception ex) {
			System.err.println("failover benchmark: broken run: " + ex);
			ex.printStackTrace();
			benchmark.stop();
			System.exit(1);
		}
		benchmark.stop();
		if (!benchmark.broken.isEmpty()) {
			System.err.println("failover benchmark: broken run:");
			benchmark.broken.forEach((reason) -> System.err.println("  - " + reason));
			System.exit(1);
		}
	}

	private void run() throws Exception {
		long started = System.nanoTime();
		Path logs = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
		this.primary = BenchUpstream.refusedPort();
		this.secondary = BenchUpstream.refusedPort();
		int refused = BenchUpstream.refusedPort();
		int gatewayPort = BenchUpstream.refusedPort();
		this.upstreams = UpstreamProcess.start(UPSTREAM_FLAGS,
				List.of(Integer.toString(this.primary), Integer.toString(this.secondary)),
				logs.resolve("failover-upstream.log"));
		List<String> gatewayFlags = new ArrayList<>(GATEWAY_FLAGS);
		String jfr = System.getProperty("failover.jfr");
		if (jfr != null) {
			// A profile of the gateway, written when it exits: -Dfailover.jfr=benchmarks/target/results/failover.jfr
			gatewayFlags.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
		}
		this.gateway = GatewayProcess.start(GatewayProcess.sampleAppJar(Path.of(".")), gatewayFlags, gatewayPort,
				FailoverConfig.properties(this.primary, this.secondary, refused), logs.resolve("failover-gateway.log"));
		this.gatewayChat = URI.create(this.gateway.baseUrl() + "/v1/chat/completions");
		this.directChat = URI.create("http://127.0.0.1:" + this.secondary + "/v1/chat/completions");
		System.out.printf("upstreams up, gateway up after %.1f s%n", (System.nanoTime() - started) / 1e9);
		this.results.row("setup", "gateway JVM " + String.join(" ", GATEWAY_FLAGS) + ", upstreams' JVM "
				+ String.join(" ", UPSTREAM_FLAGS) + ", client (JDK HttpClient, HTTP/1.1) in the run.sh JVM; JDK "
				+ System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
				+ " CPUs; retry back-off 0 ms; attempt timeout T " + T.toMillis() + " ms" + (this.smoke ? "; SMOKE" : ""));

		warmUp();
		if (runs("refused")) {
			fastFailover("primary refused, retries 0", FailoverConfig.REFUSED_R0, null, 0, 1, 1);
			// Connection failures are not retried (DESIGN's table of error categories) and
			// a half-open trial is never retried: retries 1 still makes one call to the primary.
			fastFailover("primary refused, retries 1", FailoverConfig.REFUSED_R1, null, 1, 1, 1);
		}
		if (runs("status")) {
			fastFailover("primary 503, retries 0", FailoverConfig.FAULT_R0, "mode=status_503&retryAfter=0s", 0, 1, 1);
			fastFailover("primary 503, retries 1", FailoverConfig.FAULT_R1, "mode=status_503&retryAfter=0s", 1, 2, 1);
			fastFailover("primary 429 without Retry-After, retries 0", FailoverConfig.FAULT_R0,
					"mode=status_429&retryAfter=0s", 0, 1, 1);
			fastFailover("primary 503, retries 0", FailoverConfig.FAULT_R0, "mode=status_503&retryAfter=0s", 0, 1, 16);
		}
		if (runs("timeout")) {
			timeoutFailover("primary hangs", "mode=hang", 1);
			timeoutFailover("primary sends headers after 2T", "mode=slow_headers&delay=" + 2 * T.toMillis() + "ms", 1);
			timeoutFailover("primary hangs", "mode=hang", 16);
		}
		if (runs("cooling")) {
			coolingDown(1);
			coolingDown(16);
		}
		if (runs("restored")) {
			restored();
		}
		if (runs("stream")) {
			streamFailover("primary 503", FailoverConfig.FAULT_R0, "mode=status_503&retryAfter=0s");
			streamFailover("primary refused", FailoverConfig.REFUSED_R0, null);
		}
		if (runs("midstream")) {
			midStream("TCP reset mid-stream (abort_mid_stream)", "mode=abort_mid_stream&chunks=8&chunkInterval=5ms");
			midStream("error event mid-stream (error_event_mid_stream)",
					"mode=error_event_mid_stream&chunks=8&chunkInterval=5ms");
		}
		this.upstreams.behave(this.primary, "mode=ok&chunks=8&chunkInterval=0ms&delay=0ms");

		this.results.row("direct-to-upstream baseline drift, worst block median vs the case's median",
				String.format(Locale.ROOT, "%.0f %%%s", this.worstDrift * 100,
						this.drifts.isEmpty() ? "" : " (over 10 %: " + String.join(", ", this.drifts) + ")"),
				"≤ 10 % (else the machine was busy: figures flagged)", this.worstDrift <= 0.10);
		System.out.printf("failover benchmark done in %.0f s%n", (System.nanoTime() - started) / 1e9);
	}

	/**
	 * Sends the gateway's paths through the JIT before any case is measured, so that the first case
	 * does not pay for compilation that the later ones do not: plain answers, fallbacks after a 503
	 * and after a refused connection, and streams. Nothing is recorded.
	 */
	private void warmUp() throws Exception {
		int requests = this.smoke ? 20 : 3000;
		this.upstreams.behave(this.primary, "mode=status_503&retryAfter=0s");
		Target secondaryOnly = new Target(FailoverConfig.SECONDARY_ONLY,
				expect(FailoverConfig.SECONDARY_ONLY, FailoverConfig.SECONDARY_MODEL, 1));
		Target failover = new Target(FailoverConfig.FAULT_R0,
				expect(FailoverConfig.FAULT_R0, FailoverConfig.SECONDARY_MODEL, 2));
		Target refused = new Target(FailoverConfig.REFUSED_R0,
				expect(FailoverConfig.REFUSED_R0, FailoverConfig.SECONDARY_MODEL, 2));
		Target stream = new Target("stream",
				stream(this.gatewayChat, FailoverConfig.FAULT_R0, FailoverConfig.SECONDARY_MODEL));
		InterleavedRounds.run(List.of(secondaryOnly, failover, refused, stream), 2, requests, 0, 0);
		checkErrors("warm-up", secondaryOnly, failover, refused, stream);
	}

	/** Sizes: requests per target for the warm-up, rounds, and per round. */
	private record Size(int warmup, int rounds, int perRound) {
	}

	private Size fastSize(int concurrency) {
		if (this.smoke) {
			return (concurrency == 1) ? new Size(5, 2, 10) : new Size(concurrency, 1, concurrency * 2);
		}
		return (concurrency == 1) ? new Size(300, 5, 400) : new Size(800, 5, 1600);
	}

	/**
	 * A primary that fails at once (refused, 503, 429): the added latency over the secondary-only
	 * policy, and the calls the primary got per request.
	 */
	private void fastFailover(String what, String policy, String fault, int retries, int primaryCalls,
			int concurrency) throws Exception {
		if (fault != null) {
			this.upstreams.behave(this.primary, fault);
		}
		// Refused: the upstream cannot count what never reached it; the gateway's attempt count can.
		int attempts = (fault == null) ? 2 : -1;
		CallCount counted = new CallCount();
		Target failover = new Target(policy, expect(policy, FailoverConfig.SECONDARY_MODEL, attempts),
				counted::reset, counted::read);
		Target secondaryOnly = new Target(FailoverConfig.SECONDARY_ONLY,
				expect(FailoverConfig.SECONDARY_ONLY, FailoverConfig.SECONDARY_MODEL, 1));
		Target direct = new Target("direct", direct());
		Size size = fastSize(concurrency);
		InterleavedRounds.run(List.of(direct, secondaryOnly, failover), concurrency, size.warmup(), size.rounds(),
				size.perRound());
		String label = what + ", c" + concurrency;
		addedLatencyRow(label + ": added latency over the secondary-only policy, p50 / p99", failover, secondaryOnly,
				direct, 1);
		long requests = (long) size.rounds() * size.perRound();
		String calls;
		boolean exact;
		if (fault == null) {
			calls = "primary " + primaryCalls + " per request (x-fallback-attempts " + attempts + " on every answer)";
			exact = failover.errors.get() == 0;
		}
		else {
			calls = String.format(Locale.ROOT, "primary %.3f per request (%d for %d requests)",
					(double) counted.primary.get() / requests, counted.primary.get(), requests);
			exact = counted.primary.get() == requests * primaryCalls;
		}
		calls += String.format(Locale.ROOT, ", secondary %d for %d; client errors %d", counted.secondary.get(),
				requests, failover.errors.get());
		exact &= counted.secondary.get() == requests;
		this.results.row(label + ": upstream calls per request", calls,
				"primary exactly " + primaryCalls + (fault == null ? " (connection: not retried)" : " (1 + retries)")
						+ ", 0 errors",
				exact && failover.errors.get() == 0);
		checkErrors(label, failover, secondaryOnly, direct);
	}

	/** A primary that never answers in time: the time to the secondary's answer against T, and no leaked connection. */
	private void timeoutFailover(String what, String fault, int concurrency) throws Exception {
		this.upstreams.behave(this.primary, "mode=ok&delay=0ms");
		long before = openConnections(this.primary);
		this.upstreams.behave(this.primary, fault);
		CallCount counted = new CallCount();
		Target failover = new Target(FailoverConfig.TIMEOUT,
				expect(FailoverConfig.TIMEOUT, FailoverConfig.SECONDARY_MODEL, -1), counted::reset, counted::read);
		Target secondaryOnly = new Target(FailoverConfig.SECONDARY_ONLY,
				expect(FailoverConfig.SECONDARY_ONLY, FailoverConfig.SECONDARY_MODEL, 1));
		Target direct = new Target("direct", direct());
		Size size = this.smoke ? new Size(1, 1, Math.max(3, concurrency)) : (concurrency == 1) ? new Size(5, 5, 20)
				: new Size(32, 5, 96);
		InterleavedRounds.run(List.of(direct, secondaryOnly, failover), concurrency, size.warmup(), size.rounds(),
				size.perRound());
		this.upstreams.behave(this.primary, "mode=ok&delay=0ms");
		long after = awaitConnections(this.primary, before, Duration.ofSeconds(3));
		String label = what + ", attempt timeout T " + T.toMillis() + " ms, c" + concurrency;
		long p50 = failover.p50();
		long p99 = failover.p99();
		this.results.row(label + ": time to the secondary's answer, p50 / p99",
				// The minimum and p90 show how the lateness spreads (a timer's tick shows as an even spread).
				String.format(Locale.ROOT, "%s / %s ms (T %+.2f / %+.2f ms; min T %+.2f, p90 T %+.2f; secondary-only %s / %s ms; n %d%s)",
						ms(p50), ms(p99), (p50 - T.toNanos()) / 1e6, (p99 - T.toNanos()) / 1e6,
						(failover.all.getMinValue() - T.toNanos()) / 1e6,
						(failover.all.getValueAtPercentile(90) - T.toNanos()) / 1e6, ms(secondaryOnly.p50()),
						ms(secondaryOnly.p99()), failover.measured.get(), drift(direct)),
				"p99 ≤ T + 5 ms (" + (T.toMillis() + 5) + " ms)", p99 <= T.toNanos() + TimeUnit.MILLISECONDS.toNanos(5));
		long requests = (long) size.rounds() * size.perRound();
		this.results.row(label + ": the primary's connections",
				String.format(Locale.ROOT, "open before %d, after %d; primary calls %d for %d requests", before, after,
						counted.primary.get(), requests),
				"closed: back to the count before, 1 call per request",
				after <= before && counted.primary.get() == requests);
		checkErrors(label, failover, secondaryOnly, direct);
	}

	/** The primary is cooling down: requests skip it without a call. */
	private void coolingDown(int concurrency) throws Exception {
		this.upstreams.behave(this.primary, "mode=status_503&retryAfter=0s");
		int tripped = trip(FailoverConfig.COOL, FailoverConfig.COOL_MODEL);
		CallCount counted = new CallCount();
		// Attempts 2: the skip is recorded as an attempt, then the secondary answers.
		Target cooling = new Target(FailoverConfig.COOL, expect(FailoverConfig.COOL, FailoverConfig.SECONDARY_MODEL, 2),
				counted::reset, counted::read);
		Target secondaryOnly = new Target(FailoverConfig.SECONDARY_ONLY,
				expect(FailoverConfig.SECONDARY_ONLY, FailoverConfig.SECONDARY_MODEL, 1));
		Target direct = new Target("direct", direct());
		Size size = fastSize(concurrency);
		InterleavedRounds.run(List.of(direct, secondaryOnly, cooling), concurrency, size.warmup(), size.rounds(),
				size.perRound());
		String label = "primary cooling down (" + FailoverConfig.COOLDOWN_FAILURES + " × 503 started it), c" + concurrency;
		addedLatencyRow(label + ": added latency over the secondary-only policy, p50 / p99", cooling, secondaryOnly,
				direct, 1);
		long requests = (long) size.rounds() * size.perRound();
		this.results.row(label + ": calls to the primary while cooling",
				String.format(Locale.ROOT, "%d for %d requests (%s)", counted.primary.get(), requests,
						(tripped > 0) ? tripped + " requests paid a failure before the cooldown" : "still cooling"),
				"0", counted.primary.get() == 0 && cooling.errors.get() == 0);
		checkErrors(label, cooling, secondaryOnly, direct);
	}

	/**
	 * The primary comes back while cooling down: how long after the cooldown's end it serves again,
	 * with requests at a steady pace (the half-open trial is the first request after the end).
	 */
	private void restored() throws Exception {
		int cycles = this.smoke ? 1 : 3;
		List<String> gaps = new ArrayList<>();
		long worstGap = 0;
		long callsWhileCooling = 0;
		for (int cycle = 0; cycle < cycles; cycle++) {
			this.upstreams.behave(this.primary, "mode=status_503&retryAfter=0s");
			trip(FailoverConfig.RESTORE, FailoverConfig.RESTORE_MODEL);
			Instant until = cooldownUntil(FailoverConfig.RESTORE, FailoverConfig.RESTORE_MODEL);
			this.upstreams.behave(this.primary, "mode=ok&delay=0ms");
			this.upstreams.reset(this.primary);
			String body = ChatClient.body(FailoverConfig.RESTORE, false);
			long next = System.nanoTime();
			Instant giveUp = until.plusSeconds(5);
			Instant sent;
			Instant served;
			while (true) {
				long wait = next - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				next += PACE.toNanos();
				sent = Instant.now();
				ChatClient.Reply reply = this.client.chat(this.gatewayChat, body);
				served = Instant.now();
				if (reply.status() != 200) {
					throw new IllegalStateException("restore case: the gateway answered " + reply.status() + ": "
							+ reply.body());
				}
				if (FailoverConfig.RESTORE_MODEL.equals(reply.servedBy())) {
					break;
				}
				if (served.isAfter(giveUp)) {
					throw new IllegalStateException("restore case: the primary did not serve again within 5 s after its "
							+ "cooldown ended at " + until);
				}
			}
			// The trial itself is the one call the primary may have had.
			callsWhileCooling += this.upstreams.requests(this.primary) - 1;
			long gap = Duration.between(until, served).toNanos();
			long tried = Duration.between(until, sent).toNanos();
			worstGap = Math.max(worstGap, gap);
			gaps.add(ms(gap) + String.format(Locale.ROOT, " (trial sent %+.3f)", tried / 1e6));
		}
		this.results.row("primary back (OK) during a " + FailoverConfig.RESTORE_COOLDOWN.toSeconds()
				+ " s cooldown, a request every " + PACE.toMillis() + " ms: from the cooldown's end to the primary serving",
				String.join(", ", gaps) + " ms over " + cycles + " cycle(s); primary calls while cooling "
						+ callsWhileCooling,
				"≤ one pace + 5 ms (" + (PACE.toMillis() + 5) + " ms), 0 calls while cooling",
				worstGap <= PACE.toNanos() + TimeUnit.MILLISECONDS.toNanos(5) && callsWhileCooling == 0);
		if (callsWhileCooling != 0) {
			this.broken.add("restore case: the primary got " + callsWhileCooling + " calls while cooling down");
		}
	}

	/** A stream whose primary fails before its first byte: the added time to first token. */
	private void streamFailover(String what, String policy, String fault) throws Exception {
		this.upstreams.behave(this.primary, (fault != null) ? fault : "mode=ok");
		Target failover = new Target(policy, stream(this.gatewayChat, policy, FailoverConfig.SECONDARY_MODEL));
		Target secondaryOnly = new Target(FailoverConfig.SECONDARY_ONLY,
				stream(this.gatewayChat, FailoverConfig.SECONDARY_ONLY, FailoverConfig.SECONDARY_MODEL));
		Target direct = new Target("direct", stream(this.directChat, "bench", null));
		Size size = fastSize(1);
		InterleavedRounds.run(List.of(direct, secondaryOnly, failover), 1, size.warmup(), size.rounds(),
				size.perRound());
		String label = "stream, " + what + " before its first byte, c1";
		addedLatencyRow(label + ": added time to first token over a secondary-only stream, p50 / p99", failover,
				secondaryOnly, direct, 1);
		checkErrors(label, failover, secondaryOnly, direct);
	}

	/** A single-model stream that breaks after its first chunks: what the client sees. */
	private void midStream(String what, String fault) throws Exception {
		this.upstreams.behave(this.primary, fault);
		int requests = this.smoke ? 2 : 10;
		int explicit = 0;
		String seen = null;
		List<String> wrong = new ArrayList<>();
		String body = ChatClient.body(FailoverConfig.MID_STREAM, true);
		for (int i = 0; i < requests; i++) {
			ChatClient.StreamReply reply = this.client.stream(this.gatewayChat, body);
			String description = "status " + reply.status() + ", " + reply.contentEvents() + " content events, then "
					+ ((reply.errorEvent() != null) ? "an error event " + errorType(reply.errorEvent())
							: (reply.failure() != null) ? "a broken connection" : "the end")
					+ (reply.done() ? ", [DONE]" : ", no [DONE]") + (reply.finished() ? ", a finish_reason" : "");
			boolean ok = reply.status() == 200 && reply.contentEvents() > 0 && !reply.done() && !reply.finished()
					&& (reply.errorEvent() != null || reply.failure() != null);
			if (ok) {
				explicit++;
				seen = (seen != null) ? seen : description;
			}
			else {
				wrong.add(description);
			}
		}
		this.results.row("mid-stream failure on a single-model policy, " + what + ": what the client sees",
				explicit + "/" + requests + " " + ((seen != null) ? seen : "")
						+ (wrong.isEmpty() ? "" : "; otherwise: " + wrong.get(0)),
				"an explicit error (event or broken connection), never a truncated success", wrong.isEmpty());
	}

	/** Sends failing requests until the model cools down; returns how many were sent (0 if it already was). */
	private int trip(String policy, String model) throws Exception {
		if ("COOLING_DOWN".equals(field(STATE, modelState(policy, model)))) {
			return 0;
		}
		String body = ChatClient.body(policy, false);
		for (int sent = 1; sent <= FailoverConfig.COOLDOWN_FAILURES + 2; sent++) {
			ChatClient.Reply reply = this.client.chat(this.gatewayChat, body);
			if (reply.status() != 200 || !FailoverConfig.SECONDARY_MODEL.equals(reply.servedBy())) {
				throw new IllegalStateException("tripping " + model + ": expected the secondary to answer, got "
						+ reply.status() + " from " + reply.servedBy() + ": " + reply.body());
			}
			if ("COOLING_DOWN".equals(field(STATE, modelState(policy, model)))) {
				return sent;
			}
		}
		throw new IllegalStateException(model + " did not cool down after " + (FailoverConfig.COOLDOWN_FAILURES + 2)
				+ " failures: " + fallbacks(policy));
	}

	private Instant cooldownUntil(String policy, String model) throws Exception {
		String state = modelState(policy, model);
		Matcher until = COOLDOWN_UNTIL.matcher(state);
		if (!"COOLING_DOWN".equals(field(STATE, state)) || !until.find()) {
			throw new IllegalStateException(model + " is not cooling down: " + state);
		}
		return Instant.parse(until.group(1));
	}

	/** The model's part of {@code /actuator/fallbacks/POLICY}. */
	private String modelState(String policy, String model) throws Exception {
		String json = fallbacks(policy);
		Matcher matcher = MODEL.matcher(json);
		while (matcher.find()) {
			if (matcher.group(1).equals(model)) {
				return matcher.group();
			}
		}
		throw new IllegalStateException("no state of " + model + " in /actuator/fallbacks/" + policy + ": " + json);
	}

	private static String field(Pattern pattern, String json) {
		Matcher matcher = pattern.matcher(json);
		return matcher.find() ? matcher.group(1) : null;
	}

	private String fallbacks(String policy) throws Exception {
		java.net.http.HttpResponse<String> response = this.actuator.send(
				java.net.http.HttpRequest.newBuilder(URI.create(this.gateway.baseUrl() + "/actuator/fallbacks/" + policy))
					.timeout(Duration.ofSeconds(5))
					.build(),
				java.net.http.HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("/actuator/fallbacks/" + policy + " answered " + response.statusCode());
		}
		return response.body();
	}

	private static String errorType(String event) {
		Matcher type = Pattern.compile("\"type\":\"([^\"]+)\"").matcher(event);
		return type.find() ? "(" + type.group(1) + ")" : "";
	}

	/** A gateway request that must be answered 200 by {@code servedBy}, with {@code attempts} unless -1. */
	private Probe expect(String policy, String servedBy, int attempts) {
		String body = ChatClient.body(policy, false);
		return () -> {
			ChatClient.Reply reply = this.client.chat(this.gatewayChat, body);
			if (reply.status() != 200 || !servedBy.equals(reply.servedBy())
					|| (attempts >= 0 && reply.attempts() != attempts)) {
				throw new Unexpected(policy + ": status " + reply.status() + ", served by " + reply.servedBy()
						+ ", attempts " + reply.attempts() + ": " + abbreviate(reply.body()));
			}
			return reply.nanos();
		};
	}

	private Probe direct() {
		String body = ChatClient.body("bench", false);
		return () -> {
			ChatClient.Reply reply = this.client.chat(this.directChat, body);
			if (reply.status() != 200) {
				throw new Unexpected("direct: status " + reply.status());
			}
			return reply.nanos();
		};
	}

	/** A stream that must end well, served by {@code servedBy} (unless null); records its time to first token. */
	private Probe stream(URI url, String model, String servedBy) {
		String body = ChatClient.body(model, true);
		return () -> {
			ChatClient.StreamReply reply = this.client.stream(url, body);
			if (reply.status() != 200 || reply.firstTokenNanos() < 0 || !reply.done() || reply.errorEvent() != null
					|| (servedBy != null && !servedBy.equals(reply.servedBy()))) {
				throw new Unexpected(model + " stream: " + reply);
			}
			return reply.firstTokenNanos();
		};
	}

	private void addedLatencyRow(String what, Target measured, Target baseline, Target direct, long targetMillis) {
		long addedP50 = measured.p50() - baseline.p50();
		long addedP99 = measured.p99() - baseline.p99();
		this.results.row(what,
				String.format(Locale.ROOT, "%+.3f / %+.3f ms (this %s / %s, secondary-only %s / %s, upstream direct %s / %s ms; n %d%s)",
						addedP50 / 1e6, addedP99 / 1e6, ms(measured.p50()), ms(measured.p99()), ms(baseline.p50()),
						ms(baseline.p99()), ms(direct.p50()), ms(direct.p99()), measured.measured.get(), drift(direct)),
				"p99 ≤ +" + targetMillis + " ms", addedP99 <= TimeUnit.MILLISECONDS.toNanos(targetMillis));
	}

	/** Notes the direct baseline's drift; flags it in the row when over 10 %. */
	private String drift(Target direct) {
		double drift = direct.drift();
		this.worstDrift = Math.max(this.worstDrift, drift);
		if (drift > 0.10) {
			this.drifts.add(String.format(Locale.ROOT, "%.0f %%", drift * 100));
			return String.format(Locale.ROOT, "; FLAGGED: direct baseline drifted %.0f %%", drift * 100);
		}
		return "";
	}

	private void checkErrors(String label, Target... targets) {
		for (Target target : targets) {
			if (target.errors.get() > 0) {
				this.broken.add(label + ": " + target.errors.get() + " unexpected answers from " + target.name
						+ ", the first: " + target.firstError.get());
			}
		}
	}

	private long openConnections(int port) {
		Matcher matcher = Pattern.compile("\"openConnections\":(\\d+)").matcher(this.upstreams.stats(port));
		if (!matcher.find()) {
			throw new IllegalStateException("no openConnections in the upstream's stats");
		}
		return Long.parseLong(matcher.group(1));
	}

	/** Waits (briefly) for the port's open connections to fall back to {@code baseline}; returns the last count. */
	private long awaitConnections(int port, long baseline, Duration timeout) throws InterruptedException {
		long until = System.nanoTime() + timeout.toNanos();
		long open = openConnections(port);
		while (open > baseline && System.nanoTime() < until) {
			Thread.sleep(50);
			open = openConnections(port);
		}
		return open;
	}

	private static String ms(long nanos) {
		return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
	}

	private static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "…" : text;
	}

	/** Calls the upstreams got during one target's blocks, summed over the blocks. */
	private final class CallCount {

		final AtomicLong primary = new AtomicLong();

		final AtomicLong secondary = new AtomicLong();

		void reset() {
			FailoverBenchmark.this.upstreams.reset(FailoverBenchmark.this.primary);
			FailoverBenchmark.this.upstreams.reset(FailoverBenchmark.this.secondary);
		}

		void read() {
			this.primary.addAndGet(FailoverBenchmark.this.upstreams.requests(FailoverBenchmark.this.primary));
			this.secondary.addAndGet(FailoverBenchmark.this.upstreams.requests(FailoverBenchmark.this.secondary));
		}

	}

	private synchronized void stop() {
		if (this.gateway != null) {
			this.gateway.close();
			this.gateway = null;
		}
		if (this.upstreams != null) {
			this.upstreams.close();
			this.upstreams = null;
		}
	}

}
