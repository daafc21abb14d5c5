#!/usr/bin/env bash
# Profiles the gateway under the gateway benchmark's load with async-profiler and writes flame graphs.
#
#   benchmarks/profile.sh               # cpu and alloc: each a warm-up, then the chat steps briefly (~3 min each)
#   benchmarks/profile.sh cpu wall      # some events: cpu alloc wall lock
#   SMOKE=1 benchmarks/profile.sh cpu   # the --smoke load: proves the script works (a cold JIT's profile)
#
# async-profiler comes from Maven Central (tools.profiler:async-profiler, the agent library only) and is
# unpacked under benchmarks/target; the graphs land in benchmarks/target/results/gateway-EVENT.html.
# Where perf events are not allowed (kernel.perf_event_paranoid > 1), cpu samples with a timer instead.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.1
EVENTS=("$@")
[ ${#EVENTS[@]} -gt 0 ] || EVENTS=(cpu alloc)
LOAD=()
[ "${SMOKE:-}" = 1 ] && LOAD=(--smoke)

AGENT_DIR=benchmarks/target/async-profiler
if [ ! -f "$AGENT_DIR/linux-x64/libasyncProfiler.so" ]; then
	mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:$VERSION -DoutputDirectory="$AGENT_DIR"
	(cd "$AGENT_DIR" && unzip -q -o "async-profiler-$VERSION.jar" 'linux-x64/*')
fi
mvn -B -q -Pbenchmarks -pl benchmarks,sample-app -am package -DskipTests
RESULTS=benchmarks/target/results
mkdir -p "$RESULTS"
for event in "${EVENTS[@]}"; do
	echo "== gateway under load, async-profiler event $event"
	java -Xms512m -Xmx512m -Dbenchmarks.results="$RESULTS" \
		-Dbenchmarks.asyncProfiler="$PWD/$AGENT_DIR/linux-x64/libasyncProfiler.so" \
		-cp benchmarks/target/benchmarks.jar dev.llmfallback.benchmarks.gateway.GatewayBenchmark "${LOAD[@]}" \
		--profile="$event" >"$RESULTS/profile-$event.log" 2>&1 || { tail -40 "$RESULTS/profile-$event.log"; exit 1; }
	echo "   $RESULTS/gateway-$event.html"
done
