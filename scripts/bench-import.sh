#!/usr/bin/env bash
# Benchmarks of `tim import` against the emulator, each as separate release processes.
# Prints the three figures of BENCHMARKS.md, "Import (tim import against the emulator)":
#
#   1. rate: sustained friend_import relations/s with the emulator enforcing its rate limit
#      (100 calls/s x 1000 relations = 100 000 relations/s ceiling), over the steady part of
#      the run, from the emulator's own counters sampled every second; plus the emulator's
#      60007 count and max_per_second. The emulator is benches/emulator_stats.rs (the same
#      library `tim emulator` runs, printing its stats).
#   2. cpu: user+sys CPU of the `tim import` process per friend_import batch, rate limits off
#      (`tim emulator --no-rate-limits`, `--rate` very high); accounts imported beforehand by a
#      separate run so the figure is the friend pass alone (the account pass is printed too).
#   3. rss: peak RSS (VmHWM = ru_maxrss, GNU time's %M) of `tim import`: a --dry-run of
#      RSS_ACCOUNTS x FRIENDS relations (reading, parsing, validating, batching; nothing sent),
#      and the sending run of figure 2.
#
# Usage: scripts/bench-import.sh            (defaults: a few minutes)
#   RATE_ACCOUNTS=6500 CPU_ACCOUNTS=1000 RSS_ACCOUNTS=10000 scripts/bench-import.sh   (BENCHMARKS.md)
# Environment:
#   FRIENDS        relations per account (default 1000; at most 3000, the friend-list limit)
#   RATE_ACCOUNTS  accounts of the rate run (default 1500: 1.5M relations, about 15 s)
#   CPU_ACCOUNTS   accounts of the CPU run (default 500)
#   RSS_ACCOUNTS   accounts of the dry run (default 2000)
#   CONCURRENCY    tim import --concurrency (default 4, its default)
#   PORT           first loopback port to use (default 19300; +1 for the second emulator)
#   WORK           scratch directory (default: a new mktemp -d, removed at the end)
#   PARTS          which figures to run, comma-separated (default rate,cpu,rss)
#   SKIP_BUILD=1   use the binaries already built
set -euo pipefail

FRIENDS=${FRIENDS:-1000}
RATE_ACCOUNTS=${RATE_ACCOUNTS:-1500}
CPU_ACCOUNTS=${CPU_ACCOUNTS:-500}
RSS_ACCOUNTS=${RSS_ACCOUNTS:-2000}
CONCURRENCY=${CONCURRENCY:-4}
PORT=${PORT:-19300}
PARTS=${PARTS:-rate,cpu,rss}
part() { [[ ",$PARTS," == *",$1,"* ]]; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

if [ -z "${WORK:-}" ]; then
    WORK=$(mktemp -d -t tim-bench-import.XXXXXX)
    trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
PIDS=()
cleanup_pids() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; }
trap 'cleanup_pids; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT

if [ -z "${SKIP_BUILD:-}" ]; then
    cargo build --release -p tim-rest-cli --bin tim >&2
    cargo bench -p tim-rest-cli --bench emulator_stats --no-run >&2
fi
TIM=$ROOT/target/release/tim
EMU=$(ls -t "$ROOT"/target/release/deps/emulator_stats-* | grep -v '\.d$' | head -1)
TIME=/usr/bin/time

head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/key"

# gen FILE ACCOUNTS [ACCOUNTS_FILE]: see scripts/gen-relations.py.
gen() { python3 "$ROOT/scripts/gen-relations.py" "$1" "$2" "$FRIENDS" ${3:+"$3"}; }

wait_port() {
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "nothing listens on port $1" >&2
    return 1
}

IMPORT=(--sdkappid 1400000000 --key-file "$WORK/key" --concurrency "$CONCURRENCY" --progress off)

# ---- 1. sustained rate at the limit -------------------------------------------------------
if part rate; then
gen "$WORK/rate.jsonl" "$RATE_ACCOUNTS"
"$EMU" --addr "127.0.0.1:$PORT" --key-file "$WORK/key" --interval 1 > "$WORK/rate-stats.jsonl" &
EPID=$!; PIDS+=("$EPID")
wait_port "$PORT"
"$TIM" import "$WORK/rate.jsonl" --base-url "http://127.0.0.1:$PORT" "${IMPORT[@]}" \
    --import-accounts --failures "$WORK/rate-failures.jsonl" > "$WORK/rate-summary.txt" \
    || { cat "$WORK/rate-summary.txt"; exit 1; }
sleep 1.2
kill -TERM "$EPID"; wait "$EPID" || true
echo "== rate run: tim import summary" >&2
cat "$WORK/rate-summary.txt" >&2

python3 - "$WORK/rate-stats.jsonl" "$FRIENDS" <<'PY'
import json, sys
path, friends = sys.argv[1], int(sys.argv[2])
P = "v4/sns/friend_import"
rows = [json.loads(l) for l in open(path)]
samples = [(r["t"], r["stats"]["by_path"].get(P, 0)) for r in rows if not r["final"]]
final = rows[-1]["stats"]
# Steady part: from 2 s after the first friend_import call to the last sample that still
# saw progress in the second after it (so the draining tail is left out).
start = next(i for i, (_, c) in enumerate(samples) if c > 0) + 2
end = max(i for i in range(1, len(samples)) if samples[i][1] > samples[i - 1][1]) - 1
(t0, c0), (t1, c1) = samples[start], samples[end]
rate = (c1 - c0) * friends / (t1 - t0)
ceiling = 100 * friends
print(f"1. rate: {rate:,.0f} relations/s over {t1 - t0:.1f} s = {100 * rate / ceiling:.2f}% of the "
      f"{ceiling:,} ceiling (target >= 99%); 60007 answers: {final['rate_limited']}; "
      f"max_per_second {P}: {final['max_per_second'].get(P)} (limit 100)")
PY
rm -f "$WORK/rate.jsonl"
fi

# ---- 2. client CPU per batch, limits off (and peak RSS of that sending run) ----------------
if part cpu; then
PORT2=$((PORT + 1))
# cpu-accounts.jsonl: one relation per account (the first of each, as in the main run) to
# import the accounts, so the measured run is the friend pass alone.
gen "$WORK/cpu.jsonl" "$CPU_ACCOUNTS" "$WORK/cpu-accounts.jsonl"
"$TIM" emulator --addr "127.0.0.1:$PORT2" --key-file "$WORK/key" --no-rate-limits \
    > "$WORK/emulator.log" 2>&1 &
EPID=$!; PIDS+=("$EPID")
wait_port "$PORT2"
FAST=(--rate 1000000 --account-rate 1000000)
$TIME -f "%U %S %M %e" -o "$WORK/accounts.time" "$TIM" import "$WORK/cpu-accounts.jsonl" \
    --base-url "http://127.0.0.1:$PORT2" "${IMPORT[@]}" "${FAST[@]}" --import-accounts \
    --failures "$WORK/cpu-failures.jsonl" > /dev/null
$TIME -f "%U %S %M %e" -o "$WORK/cpu.time" "$TIM" import "$WORK/cpu.jsonl" \
    --base-url "http://127.0.0.1:$PORT2" "${IMPORT[@]}" "${FAST[@]}" \
    --failures "$WORK/cpu-failures.jsonl" > "$WORK/cpu-summary.txt" \
    || { cat "$WORK/cpu-summary.txt"; exit 1; }
kill -TERM "$EPID"; wait "$EPID" || true
echo "== cpu run: tim import summary" >&2
cat "$WORK/cpu-summary.txt" >&2
read -r U S M E < "$WORK/cpu.time"
read -r AU AS AM AE < "$WORK/accounts.time"
BATCHES=$CPU_ACCOUNTS  # FRIENDS <= 1000: one batch per account
python3 -c "
u, s, b = $U, $S, $BATCHES
print(f'2. cpu: {1000 * (u + s) / b:.3f} ms user+sys per 1000-item batch ({u:.2f} s user + {s:.2f} s sys, '
      f'{b} batches, {$E:.1f} s wall; target <= 1 ms); account pass alone: {$AU + $AS:.2f} s CPU')
print(f'3b. rss (sending, {b * $FRIENDS:,} relations): {$M / 1024:.1f} MiB peak')
"
rm -f "$WORK/cpu.jsonl" "$WORK/cpu-accounts.jsonl"
fi

# ---- 3. peak RSS of a dry run ----------------------------------------------------------------
if part rss; then
gen "$WORK/rss.jsonl" "$RSS_ACCOUNTS"
$TIME -f "%U %S %M %e" -o "$WORK/rss.time" "$TIM" import "$WORK/rss.jsonl" --dry-run \
    --import-accounts --progress off --failures "$WORK/rss-failures.jsonl" > "$WORK/rss-summary.txt"
read -r U S M E < "$WORK/rss.time"
python3 -c "print(f'3a. rss (--dry-run, {$RSS_ACCOUNTS * $FRIENDS:,} relations, read twice: accounts + friends): '
      f'{$M / 1024:.1f} MiB peak (target <= 64 MiB), {$E:.1f} s wall')"
fi
