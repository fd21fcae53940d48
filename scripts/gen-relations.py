#!/usr/bin/env python3
"""Bench input for `tim import`: ACCOUNTS x FRIENDS relations, one JSONL line each, sorted by
From_Account (the batcher's fast path), among a pool of max(ACCOUNTS, FRIENDS + 1) accounts;
account i's friends are the FRIENDS accounts after it in the pool (cyclically).

Usage: gen-relations.py FILE ACCOUNTS FRIENDS [ACCOUNTS_FILE]
ACCOUNTS_FILE gets one relation per pool account (the first of each block), to import every
account beforehand."""
import sys

if not 4 <= len(sys.argv) <= 5:
    sys.exit(__doc__)
path, n, f = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
accounts = sys.argv[4] if len(sys.argv) == 5 else ""
pool = max(n, f + 1)
names = ["u%07d" % i for i in range(pool)]
tails = ['","To_Account":"%s","AddSource":"AddSource_Type_Bench"}\n' % a for a in names]
with open(path, "w", buffering=1 << 20) as out:
    for i in range(n):
        head = '{"From_Account":"' + names[i]
        out.write("".join(head + tails[(i + k) % pool] for k in range(1, f + 1)))
if accounts:
    with open(accounts, "w") as out:
        for i in range(pool):
            out.write('{"From_Account":"' + names[i] + tails[(i + 1) % pool])
