#!/usr/bin/env bash
# Rebuild cost of the generated bindings: `cargo build -p tim-rest` after a one-field schema
# edit vs after touching a Rust file (both re-expand `include_schema!`), in a scratch copy of
# the tracked files so the work tree is never modified. Prints the medians of N rounds and
# their ratio (target: edit <= 2x touch). The generator's own time is the `expand` bench:
#   cargo bench -p tim-rest-codegen --bench expand
set -euo pipefail
rounds=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$work")
export CARGO_TARGET_DIR="$root/target/compile-cost"
cd "$work"
cargo build -q -p tim-rest

ms() { date +%s%N | cut -b1-13; }
build_ms() { local start; start=$(ms); cargo build -q -p tim-rest; echo $(( $(ms) - start )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

schema=schema/sns/friend_import.json
touch_times=(); edit_times=()
for i in $(seq "$rounds"); do
  touch src/lib.rs
  touch_times+=("$(build_ms)")
  # One optional request field more (or less), alternating so every round is an edit.
  python3 - "$schema" "$i" <<'PY'
import json, sys
path, i = sys.argv[1], int(sys.argv[2])
doc = json.load(open(path))
fields = doc["request"]["fields"]
fields[:] = [f for f in fields if f["name"] != "Scratch_Field"]
if i % 2:
    fields.append({"name": "Scratch_Field", "type": "string", "required": False, "doc": "compile-cost probe"})
json.dump(doc, open(path, "w"), ensure_ascii=False, indent=2)
PY
  edit_times+=("$(build_ms)")
done
touch_ms=$(printf '%s\n' "${touch_times[@]}" | median)
edit_ms=$(printf '%s\n' "${edit_times[@]}" | median)
echo "rebuild after touching src/lib.rs:  ${touch_ms} ms (median of ${rounds}: ${touch_times[*]})"
echo "rebuild after a schema field edit: ${edit_ms} ms (median of ${rounds}: ${edit_times[*]})"
awk -v e="$edit_ms" -v t="$touch_ms" 'BEGIN { printf "edit / touch = %.2fx (target <= 2x)\n", e / t }'
