#!/usr/bin/env bash
# Builds the fuzz targets of fuzz/ and runs each for SECONDS (default 60), one after the
# other, at the lowest priority; prints the executions of each. See FUZZING.md.
#
#   scripts/fuzz.sh [SECONDS] [TARGET..]      (all targets when none is named)
#   RUNS=10000000 scripts/fuzz.sh 0 TARGET    (to a number of executions; SECONDS 0 = no cap)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Runs with the nightly toolchain when rustup
# has one, else with stable: without a sanitizer cargo-fuzz passes no `-Z` flag, so stable
# builds the targets as they are (FUZZ_TOOLCHAIN=stable or =nightly chooses; FUZZING.md).
# Crashes land in fuzz/artifacts/<target>/; the corpora grow in fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(schema_pipeline reply_decode usersig emulator_request import_lines migrate_lines)
fi

toolchain="${FUZZ_TOOLCHAIN:-}"
if [ -z "$toolchain" ]; then
  if cargo +nightly --version >/dev/null 2>&1; then toolchain=nightly; else toolchain=stable; fi
fi
if [ "$toolchain" = nightly ]; then
  fuzz=(cargo +nightly fuzz)
else
  fuzz=(cargo +stable fuzz)
fi
# No sanitizer: the crates have no unsafe code of their own, and libFuzzer runs several times
# faster without ASan. Debug assertions on, so an overflow panics as in a debug build.
flags=(--sanitizer none --debug-assertions)

python3 scripts/fuzz-seeds.py >/dev/null
# `cargo fuzz build` takes one target (or all): after the first, each is a link step.
for t in "${targets[@]}"; do nice -n 19 "${fuzz[@]}" build "${flags[@]}" "$t"; done

mkdir -p fuzz/logs
printf '%-18s %14s %10s %10s %s\n' target executions seconds execs/s crashes
for t in "${targets[@]}"; do
  log="fuzz/logs/$t.log"
  status=0
  nice -n 19 "${fuzz[@]}" run "${flags[@]}" "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" ${RUNS:+-runs="$RUNS"} -timeout=10 -print_final_stats=1 >"$log" 2>&1 || status=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -n 1)
  took="${took:-$seconds}"
  crashes=$(ls "fuzz/artifacts/$t" 2>/dev/null | wc -l)
  rate=$(( ${execs:-0} / (took > 0 ? took : 1) ))
  printf '%-18s %14s %10s %10s %s\n' "$t" "${execs:-?}" "$took" "$rate" "$crashes (exit $status, log $log)"
done
