package dev.llmfallback.benchmarks.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.llmfallback.benchmarks.EngineOverheadBenchmark;

/**
 * CI's regression guard on the engine's per-call overhead (issue 17, point 5): fails (exit 1) when
 * {@code EngineOverheadBenchmark.engine} costs more than {@value #BOUND_MICROS} µs over
 * {@code EngineOverheadBenchmark.direct}, the same call to the stub provider without the engine.
 *
 * <p>Both are measured in this one JVM (JMH without forks), in interleaved rounds (direct, engine,
 * direct, engine, ...), and the verdict is the median of the per-round differences: a slow machine or
 * a burst of other work hits both sides of a round alike, and the median drops the rounds a burst hit
 * harder. Over the bound, a second set of rounds is measured and the lower of the two counts, so that a
 * burst of other work on a shared machine does not fail the build while a regression, in both sets,
 * does. Each round also prints the CPU share the JVM got, to tell a busy machine. The bound is about
 * twice the published figure (+1.40 µs). It is a short JMH run (about 40 s, 70 s over the bound),
 * never a timed unit test.
 *
 * <p>Run: {@code bash benchmarks/guard.sh} (builds the jar when it is missing), or
 * {@code java -Xms512m -Xmx512m -cp benchmarks/target/benchmarks.jar
 * dev.llmfallback.benchmarks.engine.EngineOverheadGuard [--bound-us=3]}.
 */
public final class EngineOverheadGuard {

	/** The most the engine may add per call, in microseconds (issue 17: "exceeds 3 µs"). */
	static final double BOUND_MICROS = 3.0;

	private static final int ROUNDS = 7;

	private EngineOverheadGuard() {
	}

	public static void main(String[] args) throws RunnerException {
		double bound = BOUND_MICROS;
		for (String arg : args) {
			if (arg.startsWith("--bound-us=")) {
				bound = Double.parseDouble(arg.substring("--bound-us=".length()));
			}
			else {
				System.err.println("usage: EngineOverheadGuard [--bound-us=" + BOUND_MICROS + "]");
				System.exit(2);
			}
		}
		// Warm-up, not counted: the first runs compile both paths, and the first engine run after a direct one
		// was seen ten times slower than the later ones (recompilation), so one such pair is run too.
		measure("direct", 3);
		measure("engine", 3);
		measure("direct", 1);
		measure("engine", 1);
		double added = rounds(1);
		if (added > bound) {
			// A burst of other work on the machine can hit most of one set's engine runs: a regression shows
			// in a second set too, a burst seldom does.
			System.out.printf(Locale.ROOT, "engine overhead guard: %+.3f us is over %.1f us; measuring a second set to confirm%n",
					added, bound);
			added = Math.min(added, rounds(2));
		}
		String summary = String.format(Locale.ROOT,
				"engine overhead guard: the engine adds %+.3f us per call over the direct provider call "
						+ "(median of %d interleaved rounds in one JVM); bound %.1f us",
				added, ROUNDS, bound);
		if (added > bound) {
			System.err.println(summary + ": EXCEEDED. The engine's hot path got slower: profile "
					+ "EngineOverheadBenchmark.engine (java -jar benchmarks/target/benchmarks.jar EngineOverhead -prof gc) "
					+ "and look at what this change added per call.");
			System.exit(1);
		}
		System.out.println(summary + ": ok");
		System.exit(0);
	}

	/**
	 * One set of interleaved rounds, printed.
	 * @param set the set's number, for the printout
	 * @return the median of the rounds' differences engine - direct, in microseconds
	 */
	private static double rounds(int set) throws RunnerException {
		List<Double> differences = new ArrayList<>();
		for (int round = 1; round <= ROUNDS; round++) {
			Timing direct = measure("direct", 1);
			Timing engine = measure("engine", 1);
			differences.add(engine.micros() - direct.micros());
			// The CPU share says whether the machine was busy: well under 100 % means other processes took the core.
			System.out.printf(Locale.ROOT,
					"  set %d, round %d: direct %.3f us, engine %.3f us, added %+.3f us (CPU share of this JVM %.0f %% / %.0f %%)%n",
					set, round, direct.micros(), engine.micros(), engine.micros() - direct.micros(), 100 * direct.share(),
					100 * engine.share());
		}
		return median(differences);
	}

	/**
	 * One run's average time per call.
	 * @param micros JMH's figure, microseconds per call
	 * @param share the CPU this JVM got over the run, per wall-clock second (at most 1: one benchmark thread)
	 */
	private record Timing(double micros, double share) {
	}

	/**
	 * One JMH run of one benchmark method in this JVM.
	 * @param method {@code direct} or {@code engine}
	 * @param iterations measured one-second iterations (after one of warm-up)
	 * @return its average time per call
	 */
	private static Timing measure(String method, int iterations) throws RunnerException {
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean();
		long cpuBefore = os.getProcessCpuTime();
		long wallBefore = System.nanoTime();
		Options options = new OptionsBuilder()
			.include(EngineOverheadBenchmark.class.getName().replace(".", "\\.") + "\\." + method + "$")
			.forks(0)
			.threads(1)
			.warmupIterations(1)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(iterations)
			.measurementTime(TimeValue.seconds(1))
			.shouldFailOnError(true)
			.verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		if (results.size() != 1) {
			throw new IllegalStateException("expected one JMH result for " + method + ", got " + results.size());
		}
		org.openjdk.jmh.results.Result<?> primary = results.iterator().next().getPrimaryResult();
		double unit = switch (primary.getScoreUnit()) {
			case "ns/op" -> 0.001;
			case "us/op" -> 1;
			case "ms/op" -> 1000;
			default -> throw new IllegalStateException("unexpected unit " + primary.getScoreUnit());
		};
		double share = (double) (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - wallBefore);
		return new Timing(unit * primary.getScore(), Math.min(1.0, share));
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

}
