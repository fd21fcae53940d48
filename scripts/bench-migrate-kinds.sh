#!/usr/bin/env bash
# Client CPU per 1000 records of each kind of `tim migrate`: the scaled sample, one
# `tim migrate --only KIND` process per kind (in dependency order) against one emulator
# process at the schemas' limits, timed with GNU time. Small kinds are near the 10 ms
# resolution of the timer; each figure includes the process's start.
#
# Usage: scripts/bench-migrate-kinds.sh [SCALE]   Results: BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-3}"
port="${PORT:-19427}"
d="$(mktemp -d)"
python3 scripts/gen-migrate-sample.py "$d/in" "$scale" > /dev/null
cargo build --release --locked -p tim-rest-cli --bin tim > /dev/null 2>&1
head -c 32 /dev/urandom | base64 > "$d/key"
target/release/tim emulator --addr "127.0.0.1:$port" --key-file "$d/key" > "$d/em.log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null; rm -rf "$d"' EXIT
sleep 1
for kind in accounts profiles friends blocklists groups group_members group_messages \
    group_unread c2c_messages c2c_read; do
  lines=$(grep -c . "$d/in/$kind.jsonl")
  /usr/bin/time -f "%U %S %e" -o "$d/t.txt" target/release/tim migrate "$d/in" --only "$kind" \
      --base-url "http://127.0.0.1:$port" --sdkappid 1400000000 --key-file "$d/key" \
      --progress off --failures "$d/f.jsonl" > "$d/out.txt" 2>&1 || true
  # GNU time writes "Command exited with non-zero status" first when a kind had bad lines.
  read -r user sys wall < <(tail -1 "$d/t.txt")
  echo "$kind $lines $user $sys $wall" | awk '{printf "%-15s %8d lines  user %.2f s  sys %.2f s  wall %.1f s  CPU per 1000 records: %.0f ms\n", $1, $2, $3, $4, $5, ($3+$4)*1000000/$2}'
done
