#!/usr/bin/env bash
# CI's regression guard on the engine's per-call overhead (issue 17, point 5): a short JMH run (about
# 30 s) of EngineOverheadBenchmark's direct and engine methods in interleaved rounds in one JVM; exits 1
# when the engine adds more than 3 us per call over the direct provider call. Builds the jar if missing.
#   benchmarks/guard.sh [--bound-us=3]
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
exec java -Xms512m -Xmx512m -Dslf4j.internal.verbosity=ERROR -cp "$JAR" dev.llmfallback.benchmarks.engine.EngineOverheadGuard "$@"
