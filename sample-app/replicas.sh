#!/usr/bin/env bash
# Two sample-app replicas sharing their state through a local Redis, without Docker:
#   sample-app/replicas.sh            (needs redis-server on the PATH: Debian's redis-server package)
# Starts redis-server on REDIS_PORT (default 6390), builds the sample with -Predis, runs it on 8080 and
# 8081 (PORT_A, PORT_B), and stops all three on Ctrl-C. See docs/REPLICAS.md for what to try.
set -euo pipefail
cd "$(dirname "$0")/.."
REDIS_PORT="${REDIS_PORT:-6390}"
PORT_A="${PORT_A:-8080}"
PORT_B="${PORT_B:-8081}"
work="$(mktemp -d)"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

command -v redis-server >/dev/null || { echo "redis-server is not installed (Debian: apt-get install redis-server)" >&2; exit 1; }
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)

mvn -q -B -pl sample-app -am -Predis -DskipTests package
jar="$(ls sample-app/target/sample-app-*.jar | grep -v original | head -1)"
for port in "$PORT_A" "$PORT_B"; do
	PORT="$port" REDIS_PORT="$REDIS_PORT" java -jar "$jar" --spring.profiles.active=simulated,redis \
		>"$work/replica-$port.log" 2>&1 &
	pids+=($!)
done
for port in "$PORT_A" "$PORT_B"; do
	for _ in $(seq 1 120); do
		curl -sf "localhost:$port/actuator/health/llm/state" >/dev/null 2>&1 && break
		sleep 0.5
	done
	echo "replica on :$port: $(curl -s "localhost:$port/actuator/health/llm/state")"
done
cat <<MSG

Two replicas share one Redis (port $REDIS_PORT). Try:
  # reset on one replica ends the cooldown on both; a cooldown started on one shows on the other
  curl -s localhost:$PORT_A/actuator/fallbacks | head -c 600; echo
  curl -s localhost:$PORT_B/actuator/fallbacks | head -c 600; echo
  # stop Redis (kill the redis-server process): /actuator/health/llm/state turns "local", requests go on
Logs: $work. Ctrl-C stops the replicas and Redis.
MSG
wait
