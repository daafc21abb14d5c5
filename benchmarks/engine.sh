#!/usr/bin/env bash
# The engine part of benchmarks/run.sh (which builds the jar first): every JMH engine benchmark with
# -prof gc, one thread, against one upstream JVM, then EngineSummary turns JMH's JSON into the part's rows.
#   benchmarks/engine.sh [--smoke]
#
#   EngineOverheadBenchmark   the engine with a stub provider vs the provider called directly (no network)
#   NoNetworkStackBenchmark   whole client stacks on stub transports: ours, Spring AI 2.0.1, bare WebClient and OkHttp
#   LoopbackBenchmark         the same over loopback to a BenchUpstream JVM, plus the primary-503-then-secondary path
#
# Outputs: benchmarks/target/jmh-engine.json (JMH's results), benchmarks/target/jmh-engine.txt (its table),
# benchmarks/target/results/engine-jmh.log (its log), benchmarks/target/results/engine.tsv (the rows).
# The full run takes about 7 minutes (2 forks x 5 x 1 s after 3 x 1 s of warm-up per benchmark and mode);
# --smoke about a minute, in one JVM, one 1 s iteration each, only to prove everything still runs.
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS=benchmarks/target/results
JAR=benchmarks/target/benchmarks.jar
mkdir -p "$RESULTS"

# EngineBenchmark runs JMH (forks, -prof gc, JSON results, fail on error) against one upstream JVM that
# it starts and stops, then EngineSummary writes the rows.
java -Xms512m -Xmx512m -Dslf4j.internal.verbosity=ERROR -cp "$JAR" -Dbenchmarks.results="$RESULTS" dev.llmfallback.benchmarks.engine.EngineBenchmark "$@" || {
	echo "benchmarks: the engine part failed; the end of JMH's log ($RESULTS/engine-jmh.log):"
	tail -50 "$RESULTS/engine-jmh.log" 2>/dev/null || true
	exit 1
}
sed -n '/^Benchmark  /,$p' "$RESULTS/engine-jmh.log" >benchmarks/target/jmh-engine.txt
