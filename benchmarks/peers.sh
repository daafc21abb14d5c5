#!/usr/bin/env bash
# The peers part of benchmarks/run.sh (which builds the jars first): installs Portkey's open-source gateway
# (npm @portkey-ai/gateway 1.15.2, with @hono/node-server pinned to 1.13.8 through npm overrides: newer ones
# break its streaming) under benchmarks/target/peers/portkey from the committed template in
# benchmarks/peers/portkey (package.json, and package-lock.json so that `npm ci` installs the same tree
# every time), then runs PeersBenchmark: ours beside Portkey's, same upstream, same rounds.
#   benchmarks/peers.sh [--smoke]
#   PEERS_GATEWAY_FLAGS="-Xmx128m ..." benchmarks/peers.sh   # our gateway's JVM flags (default -Xms256m -Xmx256m)
# When Node.js, npm or the install is missing, the part says so in its table and ends with 0: a peer that
# cannot be installed here is no failure of ours.
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS=benchmarks/target/results
DIR=benchmarks/target/peers/portkey
JAR=benchmarks/target/benchmarks.jar
mkdir -p "$RESULTS" "$DIR"

skip() {
	printf 'Portkey gateway 1.15.2 beside ours\tSKIPPED: %s\t-\t-\n' "$1" >"$RESULTS/peers.tsv"
	echo "  Portkey gateway 1.15.2 beside ours|SKIPPED: $1|-|-"
	exit 0
}

command -v node >/dev/null 2>&1 || skip "Node.js is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
cp benchmarks/peers/portkey/package.json benchmarks/peers/portkey/package-lock.json benchmarks/peers/portkey/loopback.mjs "$DIR/"
version() { (cd "$DIR" && node -p "require('./node_modules/$1/package.json').version" 2>/dev/null) || true; }
if [ "$(version @portkey-ai/gateway)" != 1.15.2 ] || [ "$(version @hono/node-server)" != 1.13.8 ]; then
	echo "peers: npm ci of @portkey-ai/gateway 1.15.2 into $DIR"
	(cd "$DIR" && timeout 300 npm ci --no-audit --no-fund --ignore-scripts) >"$RESULTS/peers-npm.log" 2>&1 \
		|| skip "npm ci failed (its log: $RESULTS/peers-npm.log)"
fi
[ "$(version @portkey-ai/gateway)" = 1.15.2 ] || skip "@portkey-ai/gateway 1.15.2 is not in $DIR after npm ci"
[ "$(version @hono/node-server)" = 1.13.8 ] || skip "@hono/node-server is $(version @hono/node-server), not the 1.13.8 that streams"

exec java -Xms512m -Xmx512m -cp "$JAR" -Dbenchmarks.results="$RESULTS" \
	-Dbenchmarks.peers.gatewayFlags="${PEERS_GATEWAY_FLAGS:--Xms256m -Xmx256m}" dev.llmfallback.benchmarks.gateway.PeersBenchmark \
	--portkey="$DIR" "$@"
