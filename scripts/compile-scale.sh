#!/usr/bin/env bash
# Compile cost of the generated bindings at API scale, against the Rust peer crate
# tencent_im_rs =1.0.4 (crates.io), in one run on one machine:
#
#  (a) generator time for a whole synthetic schema directory (load, parse, check, emit):
#      median of the criterion bench `expand` (codegen/benches/expand.rs, TIM_EXPAND_DIR), with
#      its read_files_only floor;
#  (b) debug build of a scratch crate `synth-api` whose lib.rs is the include line below (all
#      services), against the debug build of tencent_im_rs, dependencies prebuilt, only the crate
#      itself timed (`cargo clean -p X && cargo build -p X`); median of N rounds each, ours and
#      the peer alternating in order from round to round so load affects both alike;
#  (c) the same synth crate with one service only (`--no-default-features --features SERVICE`);
#  (d) generated lines per endpoint (`tim codegen DIR | wc -l`), synthetic and real schema/;
#  (e) a user's first build: cold `cargo build` (debug, every dependency) of a fresh binary
#      crate using tim-rest as the README does, and of one using tencent_im_rs, each in its own
#      empty target dir, one after the other; plus how many `syn` versions each tree holds.
#
# The synthetic directory comes from scripts/gen-synthetic-schema.py (ENDPOINTS endpoint files
# over SERVICES services, copies of the real ones with unique commands).
#
# Usage: scripts/compile-scale.sh [N] [--rounds N] [--endpoints 150] [--services 8] [--seed 1]
#                                 [--no-cold] [--only a,b,c,d,e] [--service NAME] [--rev REV]
#   N / --rounds   rounds of (b) and (c) (default 3)
#   --no-cold      skip (e), which takes minutes
#   --only LIST    run only these parts (e.g. `--only e`); (d) also runs with (a), (b) or (c), as
#                  it checks that the synthetic directory expands without diagnostics
#   --service      the one service of (c) (default: the first service of the directory)
#   --rev REV      measure tim-rest as committed at REV (e.g. HEAD) instead of the work tree
# Environment:
#   SYNTH_INCLUDE  the body of synth-api's lib.rs; default, the final form (it needs
#                  include_schema!'s `client = Ident` and `service_features` options):
#                    tim_rest::include_schema!("schema", client = Client, service_features = true);
#                  the template form, without client methods or service features:
#                    SYNTH_INCLUDE='tim_rest::include_schema!("schema");'
#
# Everything builds from target/scale/src, a copy of the work tree (tracked and untracked, not
# ignored files; or of commit REV) synced at the start, so edits made in the tree while this
# runs do not leak into the timings. Scratch crates live in a temporary directory removed on
# exit. Dependencies stay prebuilt between runs in target/scale/{ws,synth,peer} (never the main
# target dir); (e) uses fresh empty target dirs under target/scale/, removed after the run.
# Needs crates.io.
set -euo pipefail

rounds=3 endpoints=150 services=8 seed=1 cold=1 only="" one_service="" rev=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --endpoints) endpoints=$2; shift 2 ;;
    --services) services=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --service) one_service=$2; shift 2 ;;
    --no-cold) cold=0; shift ;;
    --rev) rev=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) rounds=$1; shift ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
want() { # want PART: is this part selected?
  if [ -n "$only" ]; then [[ ",$only," == *",$1,"* ]]; elif [ "$1" = e ]; then [ "$cold" = 1 ]; else true; fi
}

DEFAULT_INCLUDE='tim_rest::include_schema!("schema", client = Client, service_features = true);'
include_line=${SYNTH_INCLUDE:-$DEFAULT_INCLUDE}
PEER_VERSION='=1.0.4'

tree=$(cd "$(dirname "$0")/.." && pwd)
scale="$tree/target/scale"
mkdir -p "$scale"
work=$(mktemp -d)
cold_dirs=()
cleanup() {
  rm -rf "$work"
  for d in ${cold_dirs[@]+"${cold_dirs[@]}"}; do rm -rf "$d"; done
}
trap cleanup EXIT

# The snapshot every build uses, target/scale/src: the work tree's files (tracked and untracked,
# not ignored), or those of the commit given by --rev. Only files whose bytes changed are
# rewritten (with a new mtime), so prebuilt artifacts stay fresh from run to run and a changed
# file is never mistaken for an old one.
root="$scale/src"
if [ -n "$rev" ]; then
  mkdir "$work/rev"
  git -C "$tree" archive --format=tar "$rev" | tar -x -C "$work/rev"
  # The measuring bench is this work tree's (it reads TIM_EXPAND_DIR).
  cp "$tree/codegen/benches/expand.rs" "$work/rev/codegen/benches/expand.rs"
  from="$work/rev"
  list() { (cd "$from" && find . -type f -printf '%P\0'); }
  snapshot_note="commit $(git -C "$tree" rev-parse --short "$rev") (with the work tree's codegen/benches/expand.rs)"
else
  from="$tree"
  list() { git -C "$tree" ls-files -z -co --exclude-standard; }
  snapshot_note="work tree: $(git -C "$tree" rev-parse --short HEAD) + $(git -C "$tree" status --porcelain | wc -l) changed/untracked files"
fi
list | python3 -c '
import filecmp, os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
keep = set()
for rel in sys.stdin.buffer.read().decode().split("\0"):
    a = os.path.join(src, rel)
    if not rel or not os.path.isfile(a):
        continue  # deleted in the work tree
    keep.add(rel)
    b = os.path.join(dst, rel)
    if os.path.isfile(b) and filecmp.cmp(a, b, shallow=False):
        continue
    os.makedirs(os.path.dirname(b), exist_ok=True)
    shutil.copyfile(a, b)
    shutil.copymode(a, b)
for dirpath, _, files in os.walk(dst):
    for f in files:
        rel = os.path.relpath(os.path.join(dirpath, f), dst)
        if rel not in keep:
            os.remove(os.path.join(dirpath, f))
' "$from" "$root"
echo "tim-rest under test: snapshot of $snapshot_note, taken $(date '+%F %T'), in $root"
ms() { date +%s%N | cut -b1-13; }
median() { sort -n | awk '{a[NR]=$1} END { if (NR % 2) print a[(NR+1)/2]; else printf "%.0f\n", (a[NR/2]+a[NR/2+1])/2 }'; }
say() { printf '\n== %s\n' "$*"; }
# timed DIR CMD...: runs CMD in DIR (quietly), prints its wall time in ms; its output goes to
# $work/last.log and is shown if it fails.
timed() {
  local dir=$1 start rc=0; shift
  start=$(ms)
  (cd "$dir" && "$@") >"$work/last.log" 2>&1 || rc=$?
  local took=$(( $(ms) - start ))
  if [ "$rc" != 0 ]; then
    echo "FAILED ($rc): (cd $dir && $*)" >&2; tail -40 "$work/last.log" >&2; exit "$rc"
  fi
  echo "$took"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# --- the synthetic schema directory -------------------------------------------------------
synth="$work/synth-api"
mkdir -p "$synth/src"
python3 "$tree/scripts/gen-synthetic-schema.py" "$synth/schema" --from "$root/schema" \
  --endpoints "$endpoints" --services "$services" --seed "$seed"
mapfile -t service_dirs < <(cd "$synth/schema" && for d in */; do d=${d%/}; [ "$d" = common ] || echo "$d"; done)
one_service=${one_service:-${service_dirs[0]}}
one_count=$(find "$synth/schema/$one_service" -name '*.json' | wc -l)

# Workspace commands (tim codegen, the bench) run from /work/main with a target dir of their own.
# peer_crate NAME DIR: a scratch crate depending on the peer, with the peer's saved lockfile so
# the same dependency versions build from run to run.
peer_crate() {
  mkdir -p "$2/src"
  cat >"$2/Cargo.toml" <<EOF
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
tencent_im_rs = "$PEER_VERSION"

[workspace]
EOF
  if [ -f "$scale/peer.Cargo.lock" ]; then cp "$scale/peer.Cargo.lock" "$2/Cargo.lock"; fi
}

ws_cargo() { (cd "$root" && CARGO_TARGET_DIR="$scale/ws" cargo "$@"); }

declare -A result

# --- (d) generated lines per endpoint (also proves the directory expands cleanly) ----------
if want d || want a || want b || want c; then
  say "(d) generated lines: tim codegen"
  ws_cargo build -q -p tim-rest-cli
  ws_cargo run -q -p tim-rest-cli -- codegen "$synth/schema" >"$work/synth.rs" \
    || { echo "the synthetic directory does not expand cleanly (diagnostics above)" >&2; exit 1; }
  real_eps=$(find "$root/schema" -mindepth 2 -name '*.json' -not -path '*/common/*' | wc -l)
  ws_cargo run -q -p tim-rest-cli -- codegen "$root/schema" >"$work/real.rs"
  synth_lines=$(wc -l <"$work/synth.rs"); real_lines=$(wc -l <"$work/real.rs")
  result[d_synth]=$(awk -v l="$synth_lines" -v e="$endpoints" 'BEGIN { printf "%.0f", l / e }')
  result[d_real]=$(awk -v l="$real_lines" -v e="$real_eps" 'BEGIN { printf "%.0f", l / e }')
  echo "synthetic: $synth_lines lines / $endpoints endpoints = ${result[d_synth]} lines/endpoint"
  echo "schema/:   $real_lines lines / $real_eps endpoints = ${result[d_real]} lines/endpoint"
  result[d_detail]="synthetic $synth_lines/$endpoints; schema/ $real_lines/$real_eps = ${result[d_real]}"
fi

# --- (a) generator time: the expand bench on the synthetic directory ----------------------
if want a; then
  say "(a) generator time: cargo bench -p tim-rest-codegen --bench expand (TIM_EXPAND_DIR)"
  rm -rf "$scale/ws/criterion/expand_schema_dir"
  TIM_EXPAND_DIR="$synth/schema" ws_cargo bench -q -p tim-rest-codegen --bench expand \
    >"$work/bench.log" 2>&1 || { tail -40 "$work/bench.log" >&2; exit 1; }
  grep -E '^expand bench|^expand_schema_dir|time:' "$work/bench.log" || true
  grep -qF "expand bench: $synth/schema " "$work/bench.log" \
    || { echo "the expand bench did not bench $synth/schema (does it read TIM_EXPAND_DIR?)" >&2; exit 1; }
  est() { python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e6))' \
    "$scale/ws/criterion/expand_schema_dir/$1/new/estimates.json"; }
  result[a]=$(est include_schema); result[a_floor]=$(est read_files_only)
  echo "median: include_schema ${result[a]} ms, read_files_only ${result[a_floor]} ms"
fi

# --- (b) and (c) crate-only debug builds, ours against the peer ---------------------------
if want b || want c; then
  say "(b)/(c) crate-only debug builds: synth-api against tencent_im_rs $PEER_VERSION"
  features=$(printf '"%s", ' "${service_dirs[@]}"); features=${features%, }
  {
    cat <<EOF
[package]
name = "synth-api"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
tim-rest = { path = "$root", default-features = false, features = ["reqwest"] }

[features]
default = [$features]
EOF
    for s in "${service_dirs[@]}"; do echo "$s = []"; done
    echo; echo "[workspace]"
  } >"$synth/Cargo.toml"
  printf '%s\n' "$include_line" >"$synth/src/lib.rs"
  cp "$root/Cargo.lock" "$synth/Cargo.lock"

  peer="$work/peer-api"
  peer_crate peer-api "$peer"
  echo 'pub use tencent_im_rs;' >"$peer/src/lib.rs"

  echo "include line tested: $include_line"
  if [[ "$include_line" != *service_features* ]]; then
    echo "NOTE: no service_features in the include line: (c) builds every service like (b)"
  fi
  echo "prebuilding dependencies (target/scale/synth, target/scale/peer)..."
  # synth-api's own build is what (b) times; a failure here is shown in full.
  (cd "$synth" && CARGO_TARGET_DIR="$scale/synth" cargo build -q) || {
    echo "synth-api does not build with: $include_line" >&2
    echo "(the template form is SYNTH_INCLUDE='tim_rest::include_schema!(\"schema\");')" >&2
    exit 1
  }
  (cd "$synth" && CARGO_TARGET_DIR="$scale/synth" cargo build -q --no-default-features --features "$one_service")
  (cd "$peer" && CARGO_TARGET_DIR="$scale/peer" cargo build -q)
  cp "$peer/Cargo.lock" "$scale/peer.Cargo.lock"

  # crate_only TARGET DIR PACKAGE [ARGS]: clean PACKAGE, time its build, and warn unless that
  # build compiled PACKAGE alone.
  crate_only() {
    local target=$1 dir=$2 pkg=$3 t n; shift 3
    CARGO_TARGET_DIR="$target" timed "$dir" cargo clean -q -p "$pkg" >/dev/null
    t=$(CARGO_TARGET_DIR="$target" timed "$dir" cargo build -p "$pkg" "$@")
    n=$(grep -c '^ *Compiling' "$work/last.log" || true)
    [ "$n" = 1 ] || echo "WARNING: the timed build of $pkg compiled $n crates, not 1: $(grep '^ *Compiling' "$work/last.log" | awk '{print $2}' | paste -sd' ')" >&2
    echo "$t"
  }
  ours_b() { crate_only "$scale/synth" "$synth" synth-api; }
  ours_c() { crate_only "$scale/synth" "$synth" synth-api --no-default-features --features "$one_service"; }
  peer_b() { crate_only "$scale/peer" "$peer" tencent_im_rs; }
  b_times=(); c_times=(); p_times=()
  for i in $(seq "$rounds"); do
    if [ $((i % 2)) = 1 ]; then order="b c p"; else order="p c b"; fi
    line="round $i:"
    for what in $order; do
      case $what in
        b) want b || continue; t=$(ours_b); b_times+=("$t"); line+=" all=${t}ms" ;;
        c) want c || continue; t=$(ours_c); c_times+=("$t"); line+=" $one_service=${t}ms" ;;
        p) t=$(peer_b); p_times+=("$t"); line+=" peer=${t}ms" ;;
      esac
    done
    echo "$line"
  done
  result[p]=$(printf '%s\n' "${p_times[@]}" | median)
  echo "tencent_im_rs:            ${result[p]} ms (median of $rounds: ${p_times[*]})"
  if want b; then
    result[b]=$(printf '%s\n' "${b_times[@]}" | median)
    echo "synth-api, all services:  ${result[b]} ms (median of $rounds: ${b_times[*]})"
  fi
  if want c; then
    result[c]=$(printf '%s\n' "${c_times[@]}" | median)
    echo "synth-api, $one_service only ($one_count endpoints): ${result[c]} ms (median of $rounds: ${c_times[*]})"
  fi
fi

# --- (e) a user's first build ---------------------------------------------------------------
syn_versions() { # syn_versions DIR: "COUNT (VERSIONS)", the distinct syns of the normal+build tree
  local v
  v=$(cd "$1" && cargo tree -q -e normal,build --prefix none --format '{p}' \
    | awk '$1 == "syn" { print $2 }' | sort -uV | paste -sd' ')
  echo "$(wc -w <<<"$v") (${v:-none})"
}
syn_users() { # syn_users DIR: which crates use each syn version
  local v
  for v in $(cd "$1" && cargo tree -q -e normal,build --prefix none --format '{p}' \
    | awk '$1 == "syn" { print substr($2, 2) }' | sort -uV); do
    echo "    syn $v <- $(cd "$1" && cargo tree -q -e normal,build -i "syn@$v" --depth 1 --prefix none \
      | tail -n +2 | awk '{ print $1 }' | sort -u | paste -sd' ')"
  done
}
if want e; then
  say "(e) a user's first build: cold cargo build, every dependency, empty target dirs"
  user="$work/user-tim"
  mkdir -p "$user/src"
  cat >"$user/Cargo.toml" <<EOF
[package]
name = "user-tim"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
tim-rest = { path = "$root" }

[workspace]
EOF
  cp "$root/Cargo.lock" "$user/Cargo.lock"
  cat >"$user/src/main.rs" <<'EOF'
use tim_rest::sns::friend_import::{self, AddFriendItem};
use tim_rest::{Client, Region, Validate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .sdkappid(1400000000)
        .admin("administrator")
        .secret_key(std::env::var("TIM_SECRET_KEY").unwrap_or_else(|_| "0".repeat(64)))
        .region(Region::Singapore)
        .build()?;
    let req = friend_import::Request::new(
        "alice",
        vec![AddFriendItem::new("bob", "AddSource_Type_Android")
            .remark("Bobby")
            .group_name(["朋友"])],
    );
    req.validate()?;
    let _call = client.friend_import(&req); // a future: building it is enough here
    println!("friend_import request for {} is valid", client.sdkappid());
    Ok(())
}
EOF
  peeruser="$work/user-peer"
  peer_crate user-peer "$peeruser"
  cat >"$peeruser/src/main.rs" <<'EOF'
use tencent_im_rs::api::v4::sns::friend_import::FriendImportRequest;

fn main() {
    let req = FriendImportRequest::new("alice");
    println!("{req:?}");
}
EOF
  # Downloads are not part of a build's time.
  (cd "$user" && cargo fetch -q) && (cd "$peeruser" && cargo fetch -q)
  cold_tim=$(mktemp -d "$scale/cold-tim.XXXXXX"); cold_peer=$(mktemp -d "$scale/cold-peer.XXXXXX")
  cold_dirs+=("$cold_tim" "$cold_peer")
  echo "cold build of user-tim (tim-rest, default features)..."
  result[e_ours]=$(CARGO_TARGET_DIR="$cold_tim" timed "$user" cargo build)
  echo "  ${result[e_ours]} ms; $(grep -c '^ *Compiling' "$work/last.log") crates compiled"
  echo "cold build of user-peer (tencent_im_rs $PEER_VERSION)..."
  result[e_peer]=$(CARGO_TARGET_DIR="$cold_peer" timed "$peeruser" cargo build)
  echo "  ${result[e_peer]} ms; $(grep -c '^ *Compiling' "$work/last.log") crates compiled"
  result[e_syn_ours]=$(syn_versions "$user"); result[e_syn_peer]=$(syn_versions "$peeruser")
  echo "syn versions: tim-rest tree ${result[e_syn_ours]}; tencent_im_rs tree ${result[e_syn_peer]}"
  echo "  tim-rest tree:"; syn_users "$user"
  echo "  tencent_im_rs tree:"; syn_users "$peeruser"
fi

# --- summary ----------------------------------------------------------------------------------
say "summary ($endpoints synthetic endpoints over ${#service_dirs[@]} services, seed $seed, $rounds rounds, $(nproc) cores)"
echo "include line: $include_line"
echo "tim-rest: $snapshot_note"
row() { printf '%-56s %-30s %-9s %s\n' "$@"; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "n/a" || v == "") print "-"; else if (v + 0 <= t + 0) print "ok"; else print "OVER" }'; }
row "measure" "value" "target" "verdict"
if [ -n "${result[b]:-}" ]; then
  r=$(ratio "${result[b]}" "${result[p]}")
  row "(b) build, all services / tencent_im_rs" "$r (${result[b]} / ${result[p]} ms)" "<= 1.0" "$(verdict "$r" 1.0)"
fi
if [ -n "${result[c]:-}" ]; then
  r=$(ratio "${result[c]}" "${result[p]}")
  v=$(verdict "$r" 0.25); [[ "$include_line" == *service_features* ]] || v="n/a (no service_features)"
  row "(c) build, 1 service ($one_service) / tencent_im_rs" "$r (${result[c]} / ${result[p]} ms)" "<= 0.25" "$v"
fi
if [ -n "${result[a]:-}" ]; then
  row "(a) generator, $endpoints endpoints (median)" "${result[a]} ms (floor ${result[a_floor]})" "<= 100" "$(verdict "${result[a]}" 100)"
fi
if [ -n "${result[d_synth]:-}" ]; then
  row "(d) generated lines / endpoint" "${result[d_synth]} (schema/: ${result[d_real]})" "<= ~395" "$(verdict "${result[d_synth]}" 395)"
fi
if [ -n "${result[e_ours]:-}" ]; then
  r=$(ratio "${result[e_ours]}" "${result[e_peer]}")
  row "(e) first build, tim-rest / tencent_im_rs" "$r (${result[e_ours]} / ${result[e_peer]} ms)" "<= 0.75" "$(verdict "$r" 0.75)"
  row "    distinct syn versions, tim-rest tree" "${result[e_syn_ours]}" "" ""
  row "    distinct syn versions, tencent_im_rs tree" "${result[e_syn_peer]}" "" ""
fi
