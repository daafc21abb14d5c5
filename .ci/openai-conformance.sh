#!/usr/bin/env bash
# Checks that the openai adapter's requests (plain, with every optional parameter, streaming)
# are accepted by a Stoplight Prism mock of the official OpenAI OpenAPI spec.
#
#   .ci/openai-conformance.sh            # spec at ../shared/specs/openai-openapi.yaml
#   OPENAI_SPEC=/path/to/openapi.yaml MVN_ARGS=-o .ci/openai-conformance.sh
#
# Skips (exit 0) when the spec or Node/npm is missing, so a plain `mvn verify` never needs Node.
# Everything it installs or writes lives in .ci/work/ (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SPEC="${OPENAI_SPEC:-$ROOT/../shared/specs/openai-openapi.yaml}"
WORK="$ROOT/.ci/work"
PRISM_VERSION="${PRISM_VERSION:-5.16.0}"
JS_YAML_VERSION="${JS_YAML_VERSION:-4.1.0}"

if [ ! -f "$SPEC" ]; then
	echo "openai-conformance: SKIPPED, no OpenAI spec at $SPEC (set OPENAI_SPEC)"
	exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "openai-conformance: SKIPPED, node and npm are needed to run Prism"
	exit 0
fi

mkdir -p "$WORK"
if [ ! -x "$WORK/node_modules/.bin/prism" ] || [ ! -d "$WORK/node_modules/js-yaml" ]; then
	echo "openai-conformance: installing @stoplight/prism-cli@$PRISM_VERSION into $WORK"
	if ! npm install --prefix "$WORK" --no-audit --no-fund --loglevel=error \
		"@stoplight/prism-cli@$PRISM_VERSION" "js-yaml@$JS_YAML_VERSION" >"$WORK/npm-install.log" 2>&1; then
		# An install that cannot reach the registry says nothing about conformance.
		echo "openai-conformance: SKIPPED, npm could not install Prism; its log:"
		cat "$WORK/npm-install.log"
		exit 0
	fi
fi

FIXED="$WORK/openai-openapi.fixed.json"
node "$ROOT/.ci/fix-openai-spec.js" "$SPEC" "$FIXED"

PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
LOG="$WORK/prism.log"
"$WORK/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$PORT" "$FIXED" >"$LOG" 2>&1 &
PRISM_PID=$!
trap 'kill "$PRISM_PID" 2>/dev/null || true; wait "$PRISM_PID" 2>/dev/null || true' EXIT

# Prism needs 15-25 s to load the 3 MB spec; any HTTP answer means it listens.
for _ in $(seq 1 120); do
	if ! kill -0 "$PRISM_PID" 2>/dev/null; then
		echo "openai-conformance: Prism exited; its log:"
		cat "$LOG"
		exit 1
	fi
	if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
		break
	fi
	sleep 1
done
if ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
	echo "openai-conformance: Prism did not start within 120 s; its log:"
	cat "$LOG"
	exit 1
fi
echo "openai-conformance: Prism listens on http://127.0.0.1:$PORT"

cd "$ROOT"
# shellcheck disable=SC2086
mvn -B ${MVN_ARGS:-} -pl fallback-core test -Dtest=OpenAiPrismConformanceTests \
	-Dsurefire.failIfNoSpecifiedTests=false -Dprism.url="http://127.0.0.1:$PORT"
