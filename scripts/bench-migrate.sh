#!/usr/bin/env bash
# tim migrate against an emulator in its own process, at the schemas' rate limits: the run's
# wall time against the ceiling those limits set (tim prints both), and the client's own CPU
# time and peak RSS (the emulator's are not counted).
#
# Usage: scripts/bench-migrate.sh [SCALE]   (SCALE 1 is the bundled sample, ~4,300 records)
# Results: BENCHMARKS.md. Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-10}"
port="${PORT:-19317}"
dir="$(mktemp -d)"
python3 scripts/gen-migrate-sample.py "$dir/in" "$scale" >/dev/null
cargo build --release --locked -p tim-rest-cli --bin tim >/dev/null 2>&1
head -c 32 /dev/urandom | base64 > "$dir/key"
target/release/tim emulator --addr "127.0.0.1:$port" --key-file "$dir/key" > "$dir/emulator.log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null; rm -rf "$dir"' EXIT
sleep 1
records=$(cat "$dir"/in/*.jsonl | wc -l)
echo "== $records records (scale $scale)"
/usr/bin/time -v target/release/tim migrate "$dir/in" --base-url "http://127.0.0.1:$port" \
    --sdkappid 1400000000 --key-file "$dir/key" --progress off \
    --failures "$dir/failures.jsonl" 2> "$dir/time.txt" || true
grep -E "Maximum resident|User time|System time|Elapsed" "$dir/time.txt"
