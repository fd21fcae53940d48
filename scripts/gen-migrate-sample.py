#!/usr/bin/env python3
"""Writes cli/samples/migrate/: a small IM system to migrate with `tim migrate`, every kind of
record, group messages shuffled (tim sends each group's in send-time order), and three bad
lines that land in the failures report. Deterministic: the same files on every run.

Usage: python3 scripts/gen-migrate-sample.py [OUT_DIR [SCALE]]

SCALE multiplies the accounts and groups (and so every kind) for benchmarks; the bundled
sample is scale 1.
"""
import json
import os
import random
import sys

USERS = 300
GROUPS = 30
MEMBERS_PER_GROUP = 10
MESSAGES_PER_GROUP = 50
CREATED = 1_500_000_000


def main(out, scale=1):
    global USERS, GROUPS
    USERS, GROUPS = USERS * scale, GROUPS * scale
    rng = random.Random(20261201)
    os.makedirs(out, exist_ok=True)
    user = lambda i: f"user{i:03}"
    files = {}

    def add(kind, record):
        files.setdefault(kind, []).append(
            record if isinstance(record, str) else json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        )

    for i in range(USERS):
        account = {"UserID": user(i), "Nick": f"User {i}"}
        if i % 3 == 0:
            account["FaceUrl"] = f"https://cdn.example.com/avatar/{i}.png"
        add("accounts", account)
    add("accounts", '{"Nick":"an account without its UserID"}')
    genders = ["Gender_Type_Female", "Gender_Type_Male", "Gender_Type_Unknown"]
    for i in range(USERS):
        add("profiles", {"From_Account": user(i), "ProfileItem": [
            {"Tag": "Tag_Profile_IM_Gender", "Value": genders[i % 3]},
            {"Tag": "Tag_Profile_IM_SelfSignature", "Value": f"hello from {user(i)}"},
        ]})
    for i in range(USERS):
        for d in (1, 2, 3):
            add("friends", {"From_Account": user(i), "To_Account": user((i + d) % USERS),
                            "AddSource": "AddSource_Type_Migrate", "AddTime": CREATED + i})
    for i in range(0, USERS, 5):
        add("blocklists", {"From_Account": user(i), "To_Account": user((i + 150) % USERS)})
    messages = []
    for g in range(GROUPS):
        group = f"@TGS#_sample{g:02}" if g % 10 == 9 else f"sample-group-{g:02}"
        kind = "Community" if g % 10 == 9 else ("Public" if g % 2 else "Work")
        add("groups", {"GroupId": group, "Type": kind, "Name": f"Group {g}",
                       "Owner_Account": user(g), "CreateTime": CREATED + g})
        members = [user((g * 7 + m * 11 + 1) % USERS) for m in range(MEMBERS_PER_GROUP)]
        members = [m for m in dict.fromkeys(members) if m != user(g)]
        for n, member in enumerate(members):
            add("group_members", {"GroupId": group, "Member_Account": member,
                                  "JoinTime": CREATED + 1000 + n})
        for n in range(MESSAGES_PER_GROUP):
            sender = [user(g)] + members
            body = [{"MsgType": "TIMTextElem", "MsgContent": {"Text": f"{group} message {n}"}}]
            if n % 10 == 3:
                body.append({"MsgType": "TIMFaceElem", "MsgContent": {"Index": n, "Data": "smile"}})
            messages.append({"GroupId": group, "From_Account": sender[n % len(sender)],
                             "SendTime": 1_600_000_000 + g * 10_000 + n * 60, "Random": n,
                             "MsgBody": body})
        add("group_unread", {"GroupId": group, "Member_Account": members[0], "UnreadMsgNum": 5})
    rng.shuffle(messages)
    for m in messages:
        add("group_messages", m)
    add("group_messages", '{"GroupId":"sample-group-00","From_Account":"user000","MsgBody":[]}')
    for i in range(USERS):
        for d in (1, 2):
            a, b = user(i), user((i + d) % USERS)
            add("c2c_messages", {"SyncFromOldSystem": 2, "From_Account": a, "To_Account": b,
                                 "MsgSeq": i + 1, "MsgRandom": i * 10 + d,
                                 "MsgTimeStamp": 1_600_000_000 + i * 100 + d,
                                 "MsgBody": [{"MsgType": "TIMTextElem",
                                              "MsgContent": {"Text": f"hi {b}, this is {a}"}}]})
        add("c2c_read", {"Report_Account": user((i + 1) % USERS), "Peer_Account": user(i)})
    add("c2c_read", '{"Report_Account":"user001"')
    for kind, lines in files.items():
        with open(os.path.join(out, f"{kind}.jsonl"), "w") as f:
            f.write("\n".join(lines) + "\n")
    total = sum(len(v) for v in files.values())
    print(f"wrote {total} lines in {len(files)} files to {out}")


if __name__ == "__main__":
    default = os.path.join(os.path.dirname(__file__), "..", "cli", "samples", "migrate")
    main(sys.argv[1] if len(sys.argv) > 1 else default, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
