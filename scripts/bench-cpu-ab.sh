#!/usr/bin/env bash
# Client CPU per 1000-item friend_import batch of several `tim` builds, interleaved: one
# emulator (limits off), one input, the binaries run in turn (the order rotated every round),
# so machine noise hits them alike. Prints "round binary ms-per-batch" lines, then per binary
# the median, and the median of per-round ratios against the first binary.
#
# Usage: scripts/bench-cpu-ab.sh BASELINE_TIM OTHER_TIM...
#   e.g. git worktree add --detach /tmp/old <commit>; (cd /tmp/old && cargo build --release
#        -p tim-rest-cli --bin tim); scripts/bench-cpu-ab.sh /tmp/old/target/release/tim target/release/tim
# Environment: ACCOUNTS (batches per run, default 1000), ROUNDS (default 5), PORT (default 19700).
# The emulator is the last binary given (`tim emulator --no-rate-limits`); relations are imported
# again each run, which the service (and the emulator) answers as a fresh import.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { sed -n 2,12p "$0"; exit 2; }
ACCOUNTS=${ACCOUNTS:-1000}; ROUNDS=${ROUNDS:-5}; PORT=${PORT:-19700}
BINS=()
for b in "$@"; do BINS+=("$(realpath "$b")"); done
WORK=$(mktemp -d -t tim-cpu-ab.XXXXXX)
cd "$WORK"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > key
python3 "$ROOT/scripts/gen-relations.py" cpu.jsonl "$ACCOUNTS" 1000 accounts.jsonl
"${BINS[-1]}" emulator --addr "127.0.0.1:$PORT" --key-file key --no-rate-limits > emulator.log 2>&1 &
EPID=$!
trap 'kill $EPID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
COMMON=(--base-url "http://127.0.0.1:$PORT" --sdkappid 1400000000 --key-file key --concurrency 4
        --progress off --rate 1000000 --account-rate 1000000 --failures failures.jsonl)
"${BINS[-1]}" import accounts.jsonl "${COMMON[@]}" --import-accounts > /dev/null
order=("${!BINS[@]}")
for r in $(seq 1 "$ROUNDS"); do
    for i in "${order[@]}"; do
        /usr/bin/time -f "%U %S" -o time.txt "${BINS[$i]}" import cpu.jsonl "${COMMON[@]}" > out.txt \
            || { cat out.txt; exit 1; }
        grep -q "failed                0" out.txt || { cat out.txt; exit 1; }
        read -r U S < time.txt
        echo "$r $i $(python3 -c "print(round(1000 * ($U + $S) / $ACCOUNTS, 3))")" | tee -a results.txt
    done
    order=("${order[@]:1}" "${order[0]}")
done
python3 - results.txt "${BINS[@]}" <<'PY'
import statistics as st, sys, collections
runs = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    r, i, ms = line.split()
    runs[int(i)][int(r)] = float(ms)
for i, path in enumerate(sys.argv[2:]):
    ratio = st.median(runs[i][r] / runs[0][r] for r in runs[i])
    print(f"{path}: median {st.median(runs[i].values()):.3f} ms per batch; per-round ratio to the first {ratio:.3f}")
PY
