#!/usr/bin/env bash
# Builds and runs the benchmarks, then prints one table of every figure beside its target.
#
#   benchmarks/run.sh                  # everything (about 30 minutes; the memory soak alone is 10)
#   benchmarks/run.sh --smoke          # every part, briefly: proves the script and benchmarks still work
#                                      # (peers adds about 45 s, its npm install included; it skips without npm)
#   benchmarks/run.sh gateway failover # some parts only: engine gateway idle failover streaming memory hedging peers
#   benchmarks/run.sh peers            # ours beside Portkey's gateway (npm, installed under benchmarks/target)
#
# Each part writes its rows to benchmarks/target/results/PART.tsv and its logs beside them; JMH's own
# tables are in benchmarks/target/jmh-*.txt. Run on a quiet machine: docs/PERFORMANCE.md says on
# what machine, with which flags and under what load the published figures were taken.
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=()
PARTS=()
for arg in "$@"; do
	case "$arg" in
		--smoke) SMOKE=(--smoke) ;;
		engine | gateway | idle | failover | streaming | memory | hedging | peers) PARTS+=("$arg") ;;
		*) echo "usage: benchmarks/run.sh [--smoke] [engine|gateway|idle|failover|streaming|memory|hedging|peers ...]" >&2; exit 2 ;;
	esac
done
[ ${#PARTS[@]} -gt 0 ] || PARTS=(engine gateway idle failover streaming memory hedging peers)

RESULTS=benchmarks/target/results
mvn -B -q -Pbenchmarks -pl benchmarks,sample-app -am package -DskipTests
mkdir -p "$RESULTS"
JAR=benchmarks/target/benchmarks.jar
# The measuring side (load generators, clients) gets a fixed heap and the JVM's default GC.
JAVA=(java -Xms512m -Xmx512m -Dbenchmarks.results="$RESULTS")

run_part() {
	local part=$1
	shift
	echo "== $part"
	if ! "$@" >"$RESULTS/$part.log" 2>&1; then
		echo "benchmarks: part '$part' failed; the end of its log ($RESULTS/$part.log):"
		tail -60 "$RESULTS/$part.log"
		exit 1
	fi
	grep -E '^  ' "$RESULTS/$part.log" || true
}

for part in "${PARTS[@]}"; do
	case "$part" in
		engine) run_part engine bash benchmarks/engine.sh "${SMOKE[@]}" ;;
		gateway) run_part gateway "${JAVA[@]}" -cp "$JAR" dev.llmfallback.benchmarks.gateway.GatewayBenchmark "${SMOKE[@]}" ;;
		idle) run_part idle "${JAVA[@]}" -cp "$JAR" dev.llmfallback.benchmarks.gateway.IdleGapBenchmark "${SMOKE[@]}" ;;
		failover) run_part failover "${JAVA[@]}" -cp "$JAR" dev.llmfallback.benchmarks.failover.FailoverBenchmark "${SMOKE[@]}" ;;
		streaming) run_part streaming "${JAVA[@]}" -cp "$JAR" dev.llmfallback.benchmarks.streaming.StreamingBenchmark "${SMOKE[@]}" ;;
		memory) run_part memory "${JAVA[@]}" -cp "$JAR" dev.llmfallback.benchmarks.memory.MemoryBenchmark "${SMOKE[@]}" ;;
		hedging) run_part hedging "${JAVA[@]}" -cp "$JAR" dev.llmfallback.benchmarks.hedging.HedgingBenchmark "${SMOKE[@]}" ;;
		peers) run_part peers bash benchmarks/peers.sh "${SMOKE[@]}" ;;
	esac
done

echo
echo "| part | what | measured | target | verdict |"
echo "| --- | --- | --- | --- | --- |"
for part in engine gateway idle failover streaming memory hedging peers; do
	[ -f "$RESULTS/$part.tsv" ] || continue
	awk -F'\t' -v part="$part" '{ print "| " part " | " $1 " | " $2 " | " $3 " | " $4 " |" }' "$RESULTS/$part.tsv"
done
