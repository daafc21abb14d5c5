#!/usr/bin/env bash
# The engine part of benchmarks/run.sh (which builds the jar first): every JMH engine benchmark with
# -prof gc, one thread, then EngineSummary turns JMH's JSON into the part's rows.
#   benchmarks/engine.sh [--smoke]
#
#   EngineOverheadBenchmark   the engine with a stub provider vs the provider called directly (no network)
#   NoNetworkStackBenchmark   whole client stacks on stub transports: ours, Spring AI 2.0.1, bare WebClient and OkHttp
#   LoopbackBenchmark         the same over loopback to a BenchUpstream JVM, plus the primary-503-then-secondary path
#
# Outputs: benchmarks/target/jmh-engine.json (JMH's results), benchmarks/target/jmh-engine.txt (its table),
# benchmarks/target/results/engine-jmh.log (its log), benchmarks/target/results/engine.tsv (the rows).
# The full run takes about 7 minutes (2 forks x 5 x 1 s after 3 x 1 s of warm-up per benchmark and mode);
# --smoke about a minute, one 1 s iteration each, only to prove everything still runs.
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS=benchmarks/target/results
JAR=benchmarks/target/benchmarks.jar
mkdir -p "$RESULTS"

JMH_ARGS=()
if [ "${1:-}" = "--smoke" ]; then
	JMH_ARGS=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
fi

# -foe: a benchmark that fails (a set-up that cannot reach the upstream, a wrong answer) fails the run.
java -jar "$JAR" 'EngineOverheadBenchmark|NoNetworkStackBenchmark|LoopbackBenchmark' -prof gc -foe true \
	"${JMH_ARGS[@]}" -rf json -rff benchmarks/target/jmh-engine.json >"$RESULTS/engine-jmh.log" 2>&1 || {
	echo "benchmarks: JMH failed; the end of its log ($RESULTS/engine-jmh.log):"
	tail -50 "$RESULTS/engine-jmh.log"
	exit 1
}
sed -n '/^Benchmark  /,$p' "$RESULTS/engine-jmh.log" >benchmarks/target/jmh-engine.txt

java -cp "$JAR" -Dbenchmarks.results="$RESULTS" dev.llmfallback.benchmarks.engine.EngineSummary benchmarks/target/jmh-engine.json
