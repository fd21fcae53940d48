#!/usr/bin/env bash
# Schemathesis against `tim emulator`, driven by `tim openapi`'s export of schema/: every
# operation gets generated requests (valid and invalid bodies) with a valid sdkappid,
# identifier and UserSig, and each reply is checked for a 5xx (`not_a_server_error`) and
# against its own schema (`response_schema_conformance`). Loopback only; bounded in examples
# per operation and in time. FUZZING.md ("OpenAPI export and schemathesis") has the figures.
#
# Usage: scripts/schemathesis.sh
# Environment:
#   MAX_EXAMPLES  test cases per operation (default 25)
#   MAX_TIME      seconds for the whole run (default 600)
#   WORKERS       schemathesis workers (default 1: the machine is shared)
#   SEED          schemathesis seed (default 1)
#   PORT          loopback port of the emulator (default 19400)
#   WORK          output directory (default target/schemathesis): the export, the emulator's
#                 log and the reports (junit.xml, ndjson)
#   SCHEMATHESIS  a schemathesis executable to use instead of the venv this script makes
#                 under target/ (schemathesis 4.x from PyPI)
#   SKIP_BUILD=1  use the tim binary already built
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_EXAMPLES=${MAX_EXAMPLES:-25}
MAX_TIME=${MAX_TIME:-600}
WORKERS=${WORKERS:-1}
SEED=${SEED:-1}
PORT=${PORT:-19400}
TARGET=${CARGO_TARGET_DIR:-target}
WORK=${WORK:-$TARGET/schemathesis}
mkdir -p "$WORK"
# Absolute: schemathesis runs inside $WORK, where it keeps its cache (.schemathesis/).
WORK=$(cd "$WORK" && pwd)
TIM=$(cd "$TARGET" && pwd)/debug/tim

if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --quiet -p tim-rest-cli
fi

if [ -z "${SCHEMATHESIS:-}" ]; then
  venv=$(cd "$TARGET" && pwd)/schemathesis-venv
  if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.*"
  fi
  SCHEMATHESIS=$venv/bin/schemathesis
fi
echo "== $("$SCHEMATHESIS" --version)"

"$TIM" openapi schema -o "$WORK/tim.openapi.json"

# The emulator makes up a key and prints it; a UserSig is signed with it for the admin.
nice -n 19 "$TIM" emulator --addr "127.0.0.1:$PORT" --no-rate-limits >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; wait "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "press Ctrl-C" "$WORK/emulator.out" 2>/dev/null && break
  kill -0 "$emulator" 2>/dev/null || { cat "$WORK/emulator.err"; exit 1; }
  sleep 0.1
done
field() { awk -v k="$1" '$1 == k { print $2; exit }' "$WORK/emulator.out"; }
sdkappid=$(field sdkappid)
admin=$(field admin)
key=$(field key)
usersig=$(TIM_SECRET_KEY=$key "$TIM" usersig gen --sdkappid "$sdkappid" --identifier "$admin")

# The common query parameters are fixed (the UserSig is read from the environment, not
# written to the file); everything else is generated.
cat >"$WORK/schemathesis.toml" <<EOF
[parameters]
"query.sdkappid" = $sdkappid
"query.identifier" = "$admin"
"query.usersig" = "\${TIM_USERSIG}"
"query.contenttype" = "json"
EOF

echo "== schemathesis: $MAX_EXAMPLES examples per operation, at most $MAX_TIME s, seed $SEED"
status=0
(cd "$WORK" && TIM_USERSIG=$usersig nice -n 19 "$SCHEMATHESIS" --config-file "$WORK/schemathesis.toml" run \
  "$WORK/tim.openapi.json" \
  --url "http://127.0.0.1:$PORT" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "$MAX_EXAMPLES" \
  --max-time "$MAX_TIME" \
  --workers "$WORKERS" \
  --seed "$SEED" \
  --request-timeout 10 \
  --report junit,ndjson --report-dir "$WORK/report" \
  --output-sanitize true) \
  || status=$?

kill "$emulator" 2>/dev/null || true
wait "$emulator" 2>/dev/null || true
trap - EXIT
tail -n 1 "$WORK/emulator.out"
echo "== summary"
python3 scripts/schemathesis-summary.py "$(ls -t "$WORK"/report/ndjson-*.ndjson | head -n 1)"
echo "== reports in $WORK/report; exit status $status"
exit "$status"
