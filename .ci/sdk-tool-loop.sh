#!/usr/bin/env bash
# The official OpenAI Node SDK runs a whole tool loop (call, tool result, final answer; whole and
# streamed) through the sample gateway on its simulated providers (sample-app/src/test/node/tool-loop.mjs).
# Needs the sample's executable jar (mvn verify builds it). Fails when the loop breaks; says SKIPPED
# only when Node.js or npm is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { echo "sdk tool loop: SKIPPED, node/npm not installed"; exit 0; }
JAR=$(ls sample-app/target/sample-app-*.jar | grep -v -- '-plain\|sources\|original' | head -1)
DIR=sample-app/target/node-sdk
mkdir -p "$DIR"
cp sample-app/src/test/node/package.json sample-app/src/test/node/tool-loop.mjs "$DIR/"
echo "sdk tool loop: npm install of openai into $DIR"
(cd "$DIR" && timeout 300 npm install --no-audit --no-fund --ignore-scripts) >"$DIR/npm.log" 2>&1 \
	|| { echo "sdk tool loop: npm install failed:"; tail -20 "$DIR/npm.log"; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
java -jar "$JAR" --server.port="$PORT" >"$DIR/app.log" 2>&1 &
APP=$!
trap 'kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
	curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null 2>&1 && break
	kill -0 "$APP" 2>/dev/null || { echo "sdk tool loop: the sample app did not start:"; tail -40 "$DIR/app.log"; exit 1; }
	sleep 1
done
(cd "$DIR" && GATEWAY_URL="http://127.0.0.1:$PORT/v1" timeout 120 node tool-loop.mjs)
