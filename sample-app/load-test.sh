#!/usr/bin/env bash
# The long form of the fault-injection load test: many concurrent clients call the sample app's
# gateway (plain and streamed) for a bounded time while its simulated upstreams fail at random.
#
#   sample-app/load-test.sh            # 5 minutes, 64 clients
#   sample-app/load-test.sh 10m 128    # duration, clients
#
# It prints requests, outcomes by category, hangs, silent cuts, the most upstream calls of one
# request, cooldowns, recovery time, connections and heap; it fails when any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-5m}"
CLIENTS="${2:-64}"
mvn -B -q -pl sample-app -am test -Dtest=FaultInjectionLoadTests -Dsurefire.failIfNoSpecifiedTests=false \
	-Dload.duration="$DURATION" -Dload.clients="$CLIENTS" -Dsurefire.printSummary=true \
	-DtrimStackTrace=false 2>&1 | grep -vE '^\[(INFO|WARNING)\]' || true
test -z "$(grep -l '<failure\|<error' sample-app/target/surefire-reports/TEST-*FaultInjectionLoadTests.xml 2>/dev/null)"
