#!/usr/bin/env bash
# The engine part of benchmarks/run.sh (which builds the jar first): JMH with -prof gc.
#   benchmarks/engine.sh [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."

JMH_ARGS=()
if [ "${1:-}" = "--smoke" ]; then
	JMH_ARGS=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
fi

java -jar benchmarks/target/benchmarks.jar EngineOverhead -prof gc "${JMH_ARGS[@]}" \
	-rf text -rff benchmarks/target/jmh-engine.txt >benchmarks/target/jmh-engine.log 2>&1 || {
	echo "benchmarks: JMH failed; its log:"
	tail -50 benchmarks/target/jmh-engine.log
	exit 1
}

# Columns: name, mode, [count], score, [± error], unit (count and error are absent after one iteration).
awk '
	function value(   i, text) {
		for (i = 3; i <= NF; i++) if ($i == "±") return $(i - 1) " ± " $(i + 1) " " $NF
		text = $(NF - 1); if ($(NF - 2) == "≈") text = "≈ " text
		return text " " $NF
	}
	/^EngineOverheadBenchmark\.[A-Za-z0-9]+ / { name = $1; sub(/^EngineOverheadBenchmark\./, "", name); time[name] = value(); order[++n] = name }
	/:gc\.alloc\.rate\.norm / { name = $1; sub(/^EngineOverheadBenchmark\./, "", name); sub(/:gc\.alloc\.rate\.norm$/, "", name); alloc[name] = value() }
	END { for (i = 1; i <= n; i++) print "  " order[i] ": " time[order[i]] ", " alloc[order[i]] " allocated" }
' benchmarks/target/jmh-engine.txt
