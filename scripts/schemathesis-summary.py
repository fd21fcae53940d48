#!/usr/bin/env python3
"""Summarizes a schemathesis NDJSON report of scripts/schemathesis.sh: test cases, checks
failed, HTTP statuses, and what the emulator answered (success, or the request-level codes),
with the operations that got at least one successful reply. Prints the figures FUZZING.md
quotes.

Usage: schemathesis-summary.py REPORT.ndjson
"""

import base64
import collections
import json
import sys


def main(path):
    statuses = collections.Counter()
    codes = collections.Counter()
    failed_checks = collections.Counter()
    operations = set()
    succeeded = set()
    cases = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished["recorder"]
            label = recorder["label"]
            operations.add(label)
            for case_id, checks in recorder.get("checks", {}).items():
                for check in checks:
                    if check["status"] == "failure":
                        failed_checks[(label, check["name"])] += 1
            for interaction in recorder.get("interactions", {}).values():
                response = interaction.get("response")
                cases += 1
                if not response:
                    statuses["no response"] += 1
                    continue
                statuses[response["status_code"]] += 1
                content = response.get("content") or {}
                body = base64.b64decode(content["$base64"]) if "$base64" in content else b""
                try:
                    reply = json.loads(body)
                except ValueError:
                    codes["not JSON"] += 1
                    continue
                code = reply.get("ErrorCode", 0) if isinstance(reply, dict) else None
                codes[code] += 1
                if code == 0:
                    succeeded.add(label)
    print(f"operations tested: {len(operations)}")
    print(f"requests recorded: {cases}")
    print(f"HTTP statuses: {dict(statuses)}")
    print(f"failed checks: {sum(failed_checks.values())}")
    for (label, name), n in sorted(failed_checks.items()):
        print(f"  {label}: {name} x{n}")
    print("request-level ErrorCode of the replies (most common first):")
    for code, n in codes.most_common(12):
        print(f"  {code}: {n}")
    print(f"operations with at least one successful reply (ErrorCode 0): {len(succeeded)}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
