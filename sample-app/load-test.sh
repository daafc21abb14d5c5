#!/usr/bin/env bash
# The long form of the fault-injection load test: many concurrent clients call the sample app's
# gateway (plain and streamed) for a bounded time while its simulated upstreams fail at random.
#
#   sample-app/load-test.sh            # 5 minutes, 64 clients
#   sample-app/load-test.sh 10m 128    # duration, clients
#
# It prints requests, outcomes by category, hangs, silent cuts, the most upstream calls of one
# request, cooldowns, recovery time, connections and heap, and fails when any check fails.
set -uo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-5m}"
CLIENTS="${2:-64}"
LOG="sample-app/target/load-test.log"
mkdir -p sample-app/target
mvn -B -pl sample-app -am test -Dtest=FaultInjectionLoadTests -Dsurefire.failIfNoSpecifiedTests=false \
	-Dload.duration="$DURATION" -Dload.clients="$CLIENTS" >"$LOG" 2>&1
status=$?
grep -A5 '^fault-injection load:' "$LOG" || true
grep -E 'Tests run:|FAIL|BUILD' "$LOG" | tail -3
echo "(full log: $LOG)"
exit $status
