package dev.llmfallback.benchmarks.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.llmfallback.benchmarks.upstream.UpstreamProcess;

/**
 * The engine part: runs every engine JMH benchmark ({@code EngineOverheadBenchmark},
 * {@link NoNetworkStackBenchmark}, {@link LoopbackBenchmark}) with {@code -prof gc}, one thread,
 * against one upstream JVM shared by all loopback forks (one start instead of one per fork, and the
 * same warm upstream for every stack), then writes the rows with {@link EngineSummary}.
 *
 * <p>{@code --smoke}: no fork (in this JVM), one 1 s warm-up and one 1 s iteration per benchmark, only to prove
 * everything still runs. JMH's log goes to {@code benchmarks/target/results/engine-jmh.log}, its
 * JSON to {@code benchmarks/target/jmh-engine.json}.
 */
public final class EngineBenchmark {

	static final String OK_PORT = "engine.upstream.ok";

	static final String OVERLOADED_PORT = "engine.upstream.overloaded";

	private EngineBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		boolean smoke = List.of(args).contains("--smoke");
		Path results = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
		Files.createDirectories(results);
		Path json = Path.of("benchmarks/target/jmh-engine.json");
		Path log = results.resolve("engine-jmh.log");
		int[] ports = LoopbackBenchmark.freePorts(2);
		try (UpstreamProcess upstreams = UpstreamProcess.start(List.of("-Xms256m", "-Xmx256m"),
				List.of(Integer.toString(ports[0]), ports[1] + ":mode=status_503"), results.resolve("engine-upstream.log"))) {
			ChainedOptionsBuilder options = new OptionsBuilder()
				.include("EngineOverheadBenchmark|NoNetworkStackBenchmark|LoopbackBenchmark")
				.addProfiler(GCProfiler.class)
				.shouldFailOnError(true)
				.resultFormat(ResultFormatType.JSON)
				.result(json.toString())
				.output(log.toString())
				// Replaces the annotations' flags, so the heap settings are repeated here.
				.jvmArgsAppend("-Xms512m", "-Xmx512m", "-Dslf4j.internal.verbosity=ERROR", "-D" + OK_PORT + "=" + ports[0],
						"-D" + OVERLOADED_PORT + "=" + ports[1]);
			if (smoke) {
				// In this JVM, no forks: a fork per benchmark and mode would cost more than the smoke itself.
				System.setProperty(OK_PORT, Integer.toString(ports[0]));
				System.setProperty(OVERLOADED_PORT, Integer.toString(ports[1]));
				options.forks(0)
					.warmupIterations(1)
					.warmupTime(TimeValue.seconds(1))
					.measurementIterations(1)
					.measurementTime(TimeValue.seconds(1));
			}
			new Runner(options.build()).run();
		}
		catch (RunnerException ex) {
			System.err.println("benchmarks: the engine benchmarks failed (" + ex.getMessage() + "); JMH's log: " + log);
			System.exit(1);
		}
		EngineSummary.main(new String[] { json.toString() });
	}

}
