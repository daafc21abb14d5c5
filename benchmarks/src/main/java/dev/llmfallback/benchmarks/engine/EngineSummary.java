package dev.llmfallback.benchmarks.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.llmfallback.benchmarks.Results;

/**
 * Turns JMH's JSON results of the engine benchmarks ({@code EngineOverheadBenchmark},
 * {@link NoNetworkStackBenchmark}, {@link LoopbackBenchmark}) into the rows of the {@code engine}
 * part: the engine's overhead with no network against its target, ours beside Spring AI's, the
 * loopback figures, the 503 path, allocation per call, and whether the direct baselines stayed
 * steady through the run (a run whose baseline moved more than 10 % was taken on a busy machine).
 *
 * <p>Run by {@code benchmarks/engine.sh}: {@code java -cp benchmarks.jar
 * dev.llmfallback.benchmarks.engine.EngineSummary benchmarks/target/jmh-engine.json}.
 *
 * <p>Over 300 lines: one job, reading JMH's results and writing the engine part's rows, one method per
 * row group (overhead, tool calls, loopback, Spring AI).
 */
public final class EngineSummary {

	/** A baseline whose fork means spread more than this around their median means a busy machine. */
	private static final double MAX_DRIFT = 0.10;

	private final Map<String, Figure> figures;

	private final Results results;

	private EngineSummary(Map<String, Figure> figures, Results results) {
		this.figures = figures;
		this.results = results;
	}

	public static void main(String[] args) {
		Path json = Path.of((args.length > 0) ? args[0] : "benchmarks/target/jmh-engine.json");
		JsonNode runs = new ObjectMapper().readTree(json);
		Map<String, Figure> figures = new LinkedHashMap<>();
		for (JsonNode run : runs) {
			String name = run.path("benchmark").asString();
			name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
			figures.put(name + "/" + run.path("mode").asString(), Figure.of(run));
		}
		if (figures.isEmpty()) {
			throw new IllegalStateException("no JMH results in " + json);
		}
		new EngineSummary(figures, Results.of("engine")).write(runs.get(0));
	}

	private Figure get(String benchmark, String mode) {
		Figure figure = this.figures.get(benchmark + "/" + mode);
		if (figure == null) {
			throw new IllegalStateException("JMH results lack " + benchmark + " (" + mode + "); have " + this.figures.keySet());
		}
		return figure;
	}

	private void write(JsonNode first) {
		noNetwork();
		loopback();
		steadiness();
		this.results.row("JVM of the measured forks",
				"JDK " + first.path("jdkVersion").asString() + " " + first.path("vmName").asString() + ", flags "
						+ String.join(" ", strings(first.path("jvmArgs"))) + "; " + first.path("forks").asInt() + " fork(s) x "
						+ first.path("measurementIterations").asInt() + " x " + first.path("measurementTime").asString()
						+ " after " + first.path("warmupIterations").asInt() + " x " + first.path("warmupTime").asString()
						+ " warm-up, 1 thread; upstream in its own JVM for loopback");
	}

	private void noNetwork() {
		Figure direct = get("EngineOverheadBenchmark.direct", "avgt");
		Figure engine = get("EngineOverheadBenchmark.engine", "avgt");
		Figure listener = get("EngineOverheadBenchmark.engineWithListener", "avgt");
		Figure failover = get("EngineOverheadBenchmark.primary503ThenSecondary", "avgt");
		double layer = engine.micros() - direct.micros();
		this.results.row("engine, no network: added per call over the direct provider call (stub provider)",
				signed(layer) + " (engine " + engine.timing() + ", direct " + direct.timing() + "; with a listener "
						+ listener.timing() + ")", "<= 2 us", layer <= 2.0);
		Figure directToolCall = get("EngineOverheadBenchmark.directToolCall", "avgt");
		Figure engineToolCall = get("EngineOverheadBenchmark.engineToolCall", "avgt");
		// Measured and noted (issue 13): tools, earlier calls and a tool result in, a tool call out.
		this.results.row("engine, no network: added per call for a tool-call request (stub provider)",
				signed(engineToolCall.micros() - directToolCall.micros()) + " (engine " + engineToolCall.timing()
						+ ", direct " + directToolCall.timing() + "; allocation added "
						+ bytes(engineToolCall.bytes() - directToolCall.bytes()) + ")");
		this.results.row("engine, no network: primary 503 then secondary serves", failover.timing(), "<= 15 us",
				failover.micros() <= 15.0);
		double addedBytes = engine.bytes() - direct.bytes();
		this.results.row("engine, no network: allocation added per call", bytes(addedBytes) + " (engine " + bytes(engine.bytes())
				+ ", direct " + bytes(direct.bytes()) + "; 503 path " + bytes(failover.bytes()) + ")", "<= 4 KB",
				addedBytes <= 4096);

		Figure webClient = get("NoNetworkStackBenchmark.webClientDirect", "avgt");
		Figure adapter = get("NoNetworkStackBenchmark.adapter", "avgt");
		Figure stack = get("NoNetworkStackBenchmark.engine", "avgt");
		Figure okHttp = get("NoNetworkStackBenchmark.okHttpDirect", "avgt");
		Figure springAi = get("NoNetworkStackBenchmark.springAi", "avgt");
		double ours = stack.micros() - webClient.micros();
		double theirs = springAi.micros() - okHttp.micros();
		this.results.row("whole stack, no network (stub transport): engine + OpenAI adapter over a bare WebClient",
				signed(ours) + " (stack " + stack.timing() + ", adapter alone " + adapter.timing() + ", WebClient "
						+ webClient.timing() + ")");
		this.results.row("whole stack, no network (stub transport): Spring AI 2.0.1 OpenAiChatModel over a bare OkHttp",
				signed(theirs) + " (Spring AI " + springAi.timing() + ", OkHttp " + okHttp.timing() + ")");
		this.results.row("no network: our overhead vs Spring AI's (whole stacks, each over its own bare client)",
				signed(ours) + " vs " + signed(theirs) + " = " + ratio(ours, theirs) + " (engine layer alone "
						+ signed(layer) + ")", "<= 0.5 x Spring AI's", ours <= 0.5 * theirs);
		this.results.row("allocation per call, no network",
				"ours " + bytes(stack.bytes()) + " (adapter alone " + bytes(adapter.bytes()) + ", WebClient "
						+ bytes(webClient.bytes()) + "); Spring AI " + bytes(springAi.bytes()) + " (OkHttp "
						+ bytes(okHttp.bytes()) + ")");
	}

	private void loopback() {
		Figure webClient = get("LoopbackBenchmark.webClientDirect", "avgt");
		Figure adapter = get("LoopbackBenchmark.adapter", "avgt");
		Figure engine = get("LoopbackBenchmark.engine", "avgt");
		Figure failover = get("LoopbackBenchmark.primary503ThenSecondary", "avgt");
		Figure okHttp = get("LoopbackBenchmark.okHttpDirect", "avgt");
		Figure springAi = get("LoopbackBenchmark.springAi", "avgt");
		double ours = engine.micros() - webClient.micros();
		double theirs = springAi.micros() - okHttp.micros();
		double factor = engine.micros() / webClient.micros();
		this.results.row("loopback c1: engine + OpenAI adapter vs a bare WebClient (avg; p50/p99)",
				String.format(Locale.ROOT, "x%.2f, %s (engine %s, %s; adapter alone %s; WebClient %s, %s)", factor,
						signed(ours), engine.timing(), percentiles("LoopbackBenchmark.engine"), adapter.timing(),
						webClient.timing(), percentiles("LoopbackBenchmark.webClientDirect")),
				"<= 1.10 x direct", factor <= 1.10);
		this.results.row("loopback c1: Spring AI 2.0.1 OpenAiChatModel vs a bare OkHttp (avg; p50/p99)",
				String.format(Locale.ROOT, "%s (Spring AI %s, %s; OkHttp %s, %s; x%.2f of the bare WebClient)", signed(theirs),
						springAi.timing(), percentiles("LoopbackBenchmark.springAi"), okHttp.timing(),
						percentiles("LoopbackBenchmark.okHttpDirect"), springAi.micros() / webClient.micros()));
		this.results.row("loopback c1: our overhead vs Spring AI's (each over its own bare client)",
				signed(ours) + " vs " + signed(theirs) + " = " + ratio(ours, theirs), "<= 0.5 x Spring AI's",
				ours <= 0.5 * theirs);
		double addedP99 = p99("LoopbackBenchmark.primary503ThenSecondary") - p99("LoopbackBenchmark.webClientDirect");
		this.results.row("loopback c1: primary 503 then secondary serves (engine, two upstream ports)",
				String.format(Locale.ROOT, "%s, %s; p99 %s over the direct call (happy path %s)", failover.timing(),
						percentiles("LoopbackBenchmark.primary503ThenSecondary"), signed(addedP99), engine.timing()),
				"added p99 <= 2 ms", addedP99 <= 2000);
		this.results.row("allocation per call, loopback (client side)",
				"ours " + bytes(engine.bytes()) + " (adapter alone " + bytes(adapter.bytes()) + ", WebClient "
						+ bytes(webClient.bytes()) + ", 503 path " + bytes(failover.bytes()) + "); Spring AI "
						+ bytes(springAi.bytes()) + " (OkHttp " + bytes(okHttp.bytes()) + ")");
	}

	/** Flags a run taken on a busy machine: a direct baseline that moved, or a wide JMH error. */
	private void steadiness() {
		List<String> drifts = new ArrayList<>();
		double worst = Double.NaN;
		for (String baseline : List.of("LoopbackBenchmark.webClientDirect", "LoopbackBenchmark.okHttpDirect",
				"NoNetworkStackBenchmark.webClientDirect", "EngineOverheadBenchmark.direct")) {
			List<Double> means = new ArrayList<>(get(baseline, "avgt").forkMeans());
			Figure sampled = this.figures.get(baseline + "/sample");
			if (sampled != null) {
				// Sample time ran at another moment of the run: one more look at the same baseline.
				means.add(sampled.score());
			}
			if (means.size() < 2) {
				continue;
			}
			double drift = drift(means);
			worst = Double.isNaN(worst) ? drift : Math.max(worst, drift);
			drifts.add(baseline.substring(baseline.indexOf('.') + 1) + " in " + baseline.substring(0, baseline.indexOf('.'))
					+ String.format(Locale.ROOT, " %.1f %%", 100 * drift));
		}
		if (drifts.isEmpty()) {
			this.results.row("direct baselines, largest move from their median (forks, modes)", "n/a (one fork)");
		}
		else {
			this.results.row("direct baselines, largest move from their median (forks, modes)",
					String.format(Locale.ROOT, "%.1f %% (%s)", 100 * worst, String.join(", ", drifts)),
					"<= 10 %, else the run is suspect", worst <= MAX_DRIFT);
		}
		List<String> wide = new ArrayList<>();
		boolean measured = false;
		for (Map.Entry<String, Figure> entry : this.figures.entrySet()) {
			Figure figure = entry.getValue();
			if (Double.isNaN(figure.error())) {
				continue;
			}
			measured = true;
			if (figure.error() > 0.10 * figure.score()) {
				wide.add(entry.getKey() + String.format(Locale.ROOT, " %.0f %%", 100 * figure.error() / figure.score()));
			}
		}
		if (!measured) {
			this.results.row("JMH errors wider than 10 % of the score", "n/a (one iteration)");
		}
		else {
			this.results.row("JMH errors wider than 10 % of the score", wide.isEmpty() ? "none" : String.join(", ", wide),
					"none", wide.isEmpty());
		}
	}

	private String percentiles(String benchmark) {
		Figure sampled = this.figures.get(benchmark + "/sample");
		if (sampled == null) {
			return "p50/p99 n/a";
		}
		return String.format(Locale.ROOT, "p50 %s / p99 %s", micros(sampled.p50()), micros(sampled.p99()));
	}

	private double p99(String benchmark) {
		Figure sampled = this.figures.get(benchmark + "/sample");
		return (sampled != null) ? sampled.p99() : Double.NaN;
	}

	static double drift(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		double median = (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		double worst = 0;
		for (double value : sorted) {
			worst = Math.max(worst, Math.abs(value - median) / median);
		}
		return worst;
	}

	private static String ratio(double ours, double theirs) {
		return (theirs > 0) ? String.format(Locale.ROOT, "%.2f x", ours / theirs) : "n/a (no overhead of theirs measured)";
	}

	private static String signed(double micros) {
		return ((micros >= 0) ? "+" : "-") + micros(Math.abs(micros));
	}

	static String micros(double micros) {
		if (Double.isNaN(micros)) {
			return "n/a";
		}
		if (micros < 0.01) {
			return String.format(Locale.ROOT, "%.2f ns", micros * 1000);
		}
		return String.format(Locale.ROOT, (micros < 10) ? "%.2f us" : (micros < 100) ? "%.1f us" : "%.0f us", micros);
	}

	private static String bytes(double bytes) {
		if (Double.isNaN(bytes)) {
			return "n/a";
		}
		double magnitude = Math.abs(bytes);
		return (magnitude < 1024) ? String.format(Locale.ROOT, "%.0f B", bytes)
				: String.format(Locale.ROOT, "%.1f KB", bytes / 1024);
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

	private static double number(JsonNode node) {
		if (node == null || node.isMissingNode() || node.isNull()) {
			return Double.NaN;
		}
		// JMH writes NaN (one iteration, no error) as a string.
		return node.isNumber() ? node.doubleValue() : Double.parseDouble(node.asString());
	}

	/** One benchmark in one mode, in microseconds and bytes per call. */
	private record Figure(double score, double error, double p50, double p99, double bytes, List<Double> forkMeans) {

		static Figure of(JsonNode run) {
			JsonNode primary = run.path("primaryMetric");
			double unit = switch (primary.path("scoreUnit").asString()) {
				case "ns/op" -> 0.001;
				case "us/op" -> 1;
				case "ms/op" -> 1000;
				case "s/op" -> 1_000_000;
				default -> throw new IllegalStateException("unexpected unit " + primary.path("scoreUnit").asString());
			};
			List<Double> forkMeans = new ArrayList<>();
			for (JsonNode fork : primary.path("rawData")) {
				double sum = 0;
				int count = 0;
				for (JsonNode iteration : fork) {
					sum += number(iteration);
					count++;
				}
				if (count > 0) {
					forkMeans.add(unit * sum / count);
				}
			}
			return new Figure(unit * number(primary.path("score")), unit * number(primary.path("scoreError")),
					unit * number(primary.path("scorePercentiles").path("50.0")),
					unit * number(primary.path("scorePercentiles").path("99.0")),
					number(run.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score")), forkMeans);
		}

		double micros() {
			return this.score;
		}

		/** @return the mean with JMH's 99.9 % error, or alone after a single iteration */
		String timing() {
			return Double.isNaN(this.error) ? EngineSummary.micros(this.score)
					: EngineSummary.micros(this.score) + " +- " + EngineSummary.micros(this.error);
		}

	}

}
