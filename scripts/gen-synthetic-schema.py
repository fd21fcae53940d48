#!/usr/bin/env python3
"""Writes a synthetic schema directory shaped like schema/, at API scale, for compile-cost runs.

    scripts/gen-synthetic-schema.py OUT_DIR [--endpoints 150] [--services 8] [--seed 1]
                                    [--from SCHEMA_DIR]

OUT_DIR gets `common/` (and format.schema.json) copied unchanged from the workspace's schema/
(or SCHEMA_DIR), and ENDPOINTS endpoint files spread evenly over SERVICES service directories.
Each endpoint is a copy of a real endpoint file of that directory drawn at random (seeded), with
only its `path` rewritten to `v4/<service>/<command>_<n>`: `n` counts over the whole directory,
so every command (and so every client method) is unique across services. Types, rules, errors,
examples, batch and pagination are kept as they are, so file sizes follow the real
distribution. The output is deterministic for a given seed. Check it with
    cargo run -q -p tim-rest-cli -- codegen OUT_DIR > /dev/null
"""

import argparse
import json
import keyword
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema"

# Real Tencent IM REST service names (v4/<service>/...), lowercase module names; beyond
# eight, synth_a, synth_b, ...
SERVICES = [
    "openim",
    "profile",
    "group_open_http_svc",
    "recentcontact",
    "all_member_push",
    "openconfigsvr",
    "follow",
    "open_msg_svc",
]

RUST_KEYWORDS = {
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
}
MODULE = re.compile(r"^[a-z][a-z0-9_]*$")


def service_names(count):
    names = SERVICES[:count]
    i = 0
    while len(names) < count:
        name = "synth_" + ("" if i < 26 else str(i // 26)) + chr(ord("a") + i % 26)
        names.append(name)
        i += 1
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--endpoints", type=int, default=150)
    ap.add_argument("--services", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--from", dest="source", type=Path, default=SCHEMA,
                    help="the real schema directory to copy from (default: the workspace's schema/)")
    args = ap.parse_args()
    if args.endpoints < 1 or args.services < 1:
        sys.exit("--endpoints and --services must be at least 1")

    schema = args.source
    sources = sorted(
        p for p in schema.glob("*/*.json") if p.parent.name != "common" and not p.name.endswith(".schema.json")
    )
    if not sources:
        sys.exit(f"no endpoint files under {schema}")
    docs = [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sources]

    out = args.out_dir
    if out.exists():
        if not out.is_dir():
            sys.exit(f"{out} exists and is not a directory")
        # Only a directory this script wrote (or an empty one) is replaced.
        if any(out.iterdir()) and not (out / ".synthetic").exists():
            sys.exit(f"{out} is not empty and was not written by this script; refusing to overwrite")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / ".synthetic").write_text(
        f"endpoints={args.endpoints} services={args.services} seed={args.seed}\n"
    )
    shutil.copytree(schema / "common", out / "common")
    if (schema / "format.schema.json").exists():
        # Endpoint files name it in "$schema" (for editors); the loader skips it.
        shutil.copy2(schema / "format.schema.json", out / "format.schema.json")

    rng = random.Random(args.seed)
    services = service_names(args.services)
    # Even spread: service i gets endpoints i, i + S, i + 2S, ...
    per_service = {s: 0 for s in services}
    seen = set()
    for n in range(args.endpoints):
        src_path, src = rng.choice(docs)
        service = services[n % len(services)]
        base = src["path"].rsplit("/", 1)[-1]
        command = f"{base}_{n + 1}"
        assert MODULE.match(command) and command not in RUST_KEYWORDS and not keyword.iskeyword(command)
        assert MODULE.match(service) and service not in RUST_KEYWORDS
        assert command not in seen
        seen.add(command)
        doc = dict(src)  # keeps key order; only `path` changes
        doc["path"] = f"v4/{service}/{command}"
        target = out / service / f"{command}.json"
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        per_service[service] += 1

    total = sum(f.stat().st_size for f in out.rglob("*.json") if f.parent.name != "common" and f.parent != out)
    print(
        f"wrote {args.endpoints} endpoints over {len(services)} services to {out} "
        f"({total // 1024} KiB of endpoint JSON): "
        + ", ".join(f"{s}={c}" for s, c in per_service.items())
    )


if __name__ == "__main__":
    main()
