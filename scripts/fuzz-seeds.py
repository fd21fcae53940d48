#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/, from the request
and reply examples of schema/ (and the schema files themselves), so the fuzzer starts from
inputs that reach deep into each target instead of discovering JSON from nothing.

Usage: scripts/fuzz-seeds.py [OUT_DIR]   (default: fuzz/corpus next to this script's repo)

Only the standard library. The input layouts are those the targets document in their
fuzz/fuzz_targets/<target>.rs; endpoints are picked by their index in the sorted list of
paths, as the targets sort them.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "schema")
# The key the usersig and emulator targets sign and check with.
KEY = b"5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
SDKAPPID = 1400000000
ADMIN = "administrator"


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def schema_files():
    """(relative path, text) of every schema file, sorted as the generator reads them."""
    found = []
    for top, dirs, files in os.walk(SCHEMA):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".json") and not name.endswith(".schema.json"):
                path = os.path.join(top, name)
                with open(path, encoding="utf-8") as f:
                    found.append((os.path.relpath(path, SCHEMA), f.read()))
    return found


def endpoints():
    """{path: schema document} of every endpoint."""
    out = {}
    for rel, text in schema_files():
        if rel.split(os.sep)[0] == "common":
            continue
        doc = json.loads(text)
        out[doc["path"]] = doc
    return out


def examples(doc, side):
    return [e["value"] for e in doc.get("examples", {}).get(side, [])]


class Corpus:
    def __init__(self, out_dir, target):
        self.dir = os.path.join(out_dir, target)
        os.makedirs(self.dir, exist_ok=True)
        self.count = 0

    def add(self, data):
        # Named by content, so running the script twice writes nothing new.
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(data)
        self.count += 1


def accounts_in(value, found):
    """The account ids an example names (keys ending in `Account`, and `UserID`)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if (k.endswith("Account") or k == "UserID") and isinstance(v, str):
                found.add(v)
            elif k.endswith("Account") and isinstance(v, list):
                found.update(x for x in v if isinstance(x, str))
            else:
                accounts_in(v, found)
    elif isinstance(value, list):
        for v in value:
            accounts_in(v, found)
    return found


def usersig(identifier, sdkappid, issued, expire):
    """A TLSSigAPIv2 UserSig, signed with KEY."""
    content = (
        f"TLS.identifier:{identifier}\nTLS.sdkappid:{sdkappid}\n"
        f"TLS.time:{issued}\nTLS.expire:{expire}\n"
    )
    tag = base64.b64encode(hmac.new(KEY, content.encode(), hashlib.sha256).digest()).decode()
    document = {
        "TLS.ver": "2.0",
        "TLS.identifier": identifier,
        "TLS.sdkappid": sdkappid,
        "TLS.expire": expire,
        "TLS.time": issued,
        "TLS.sig": tag,
    }
    raw = json.dumps(document).encode()
    text = base64.b64encode(zlib.compress(raw)).decode()
    return raw, text.replace("+", "*").replace("/", "-").replace("=", "_")


def seed_schema_pipeline(out):
    corpus = Corpus(out, "schema_pipeline")
    for rel, text in schema_files():
        parts = rel.split(os.sep)
        if parts[0] != "common":
            kind = 3
        elif parts[-1] == "errors.json":
            kind = 1
        elif parts[-1] == "envelope.json":
            kind = 2
        else:
            kind = 0
        corpus.add(bytes([kind]) + text.encode())
    return corpus.count


def seed_reply_decode(out, eps, paths):
    corpus = Corpus(out, "reply_decode")
    for i, path in enumerate(paths):
        for value in examples(eps[path], "response"):
            corpus.add(bytes([i]) + compact(value))
        # A refusal without the endpoint's fields, as the gateway sends it.
        corpus.add(bytes([i]) + b'{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"x"}')
    return corpus.count


def seed_usersig(out):
    corpus = Corpus(out, "usersig")
    for identifier, issued, expire in [
        (ADMIN, 1700000000, 86400),
        ("user1", 0, 1),
        ("中文", 1700000000, 15552000),
    ]:
        raw, text = usersig(identifier, SDKAPPID, issued, expire)
        corpus.add(b"\x00" + text.encode())
        corpus.add(b"\x01" + raw)
        ident = identifier.encode()
        numbers = SDKAPPID.to_bytes(8, "little") + issued.to_bytes(8, "little")
        corpus.add(b"\x02" + numbers + bytes([len(ident)]) + ident + b"userbuf")
    return corpus.count


def seed_emulator_request(out, eps, paths):
    corpus = Corpus(out, "emulator_request")
    importer = paths.index("v4/im_open_login_svc/multiaccount_import")
    sig = usersig(ADMIN, SDKAPPID, 1700000000, 86400 * 36500)[1]
    for i, path in enumerate(paths):
        for value in examples(eps[path], "request"):
            body = compact(value)
            corpus.add(bytes([i, 1]) + body)
            # The accounts the example names imported first, so the request gets past
            # "no such account" to the state.
            ids = sorted(accounts_in(value, set()))
            if ids:
                imported = compact({"AccountList": [{"UserID": u} for u in ids]})
                corpus.add(bytes([importer, 1]) + imported + b"\xff" + bytes([i, 1]) + body)
        # Through the gateway with a query of the input's own.
        query = f"sdkappid={SDKAPPID}&identifier={ADMIN}&usersig={sig}&random=7&contenttype=json"
        corpus.add(bytes([i, 0]) + query.encode() + b"\n{}")
    corpus.add(bytes([len(paths), 0]) + b"v4/sns/nothing?sdkappid=1\n{}")
    return corpus.count


def friend_lines(eps):
    """friend_import examples as tim import's relations: From_Account beside each item."""
    lines = []
    for value in examples(eps["v4/sns/friend_import"], "request"):
        for item in value.get("AddFriendItem", []):
            lines.append(dict({"From_Account": value["From_Account"]}, **item))
    return lines


def csv_cell(value):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if any(c in text for c in ',"\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def seed_import_lines(out, eps):
    """Modes 0 and 1 read relations as JSONL and CSV; 2 and 3 the accounts they name."""
    corpus = Corpus(out, "import_lines")

    class Both:
        def add(self, data):
            corpus.add(data)
            corpus.add(bytes([data[0] + 2]) + data[1:])

    both = Both()
    lines = friend_lines(eps)
    both.add(b"\x00" + b"\n".join(compact(line) for line in lines) + b"\n")
    for line in lines:
        both.add(b"\x00" + compact(line))
    columns = ["From_Account", "To_Account", "AddSource", "Remark", "RemarkTime", "GroupName",
               "AddWording", "AddTime", "CustomItem", "Tag_SNS_Custom_Level"]
    rows = [",".join(columns)]
    for line in lines:
        cells = []
        for column in columns:
            value = line.get(column, "")
            if column == "GroupName" and isinstance(value, list):
                value = ";".join(value)
            cells.append(csv_cell(value))
        rows.append(",".join(cells))
    both.add(b"\x01" + "\n".join(rows).encode() + b"\n")
    both.add(b"\x01" + "\r\n".join(rows[:2]).encode())
    samples = os.path.join(ROOT, "cli", "samples")
    for name in sorted(os.listdir(samples)):
        path = os.path.join(samples, name)
        if name.endswith(".jsonl") and os.path.isfile(path):
            with open(path, "rb") as f:
                # The start of the file: a seed stays small.
                both.add(b"\x00" + b"".join(f.readlines()[:20]))
    return corpus.count


# tim migrate's kinds, in Kind::ALL order: each kind's lines from its command's examples.
def migrate_kinds(eps):
    def whole(path):
        return examples(eps[path], "request")

    def items(path, key, field):
        out = []
        for value in whole(path):
            for item in value.get(field, []) or []:
                if isinstance(item, dict):
                    out.append(dict({key: value.get(key, "")}, **item))
        return out

    accounts = []
    for value in whole("v4/im_open_login_svc/multiaccount_import"):
        accounts.extend(a for a in value.get("AccountList", []) if isinstance(a, dict))
    blocklists = []
    for value in whole("v4/sns/black_list_add"):
        for to in value.get("To_Account", []):
            blocklists.append({"From_Account": value["From_Account"], "To_Account": to})
    return [
        ("accounts", accounts),
        ("profiles", whole("v4/profile/portrait_set")),
        ("friends", friend_lines(eps)),
        ("blocklists", blocklists),
        ("groups", whole("v4/group_open_http_svc/import_group")),
        ("group_members", items("v4/group_open_http_svc/import_group_member", "GroupId", "MemberList")),
        ("group_messages", items("v4/group_open_http_svc/import_group_msg", "GroupId", "MsgList")),
        ("group_unread", whole("v4/group_open_http_svc/set_unread_msg_num")),
        ("c2c_messages", whole("v4/openim/importmsg")),
        ("c2c_read", whole("v4/openim/admin_set_msg_read")),
    ]


def seed_migrate_lines(out, eps):
    corpus = Corpus(out, "migrate_lines")
    samples = os.path.join(ROOT, "cli", "samples", "migrate")
    for index, (kind, lines) in enumerate(migrate_kinds(eps)):
        for line in lines:
            corpus.add(bytes([index]) + compact(line) + b"\n")
        if lines:
            corpus.add(bytes([index]) + b"\n".join(compact(line) for line in lines) + b"\r\n")
        sample = os.path.join(samples, kind + ".jsonl")
        if os.path.isfile(sample):
            with open(sample, "rb") as f:
                corpus.add(bytes([index]) + b"".join(f.readlines()[:10]))
    return corpus.count


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "fuzz", "corpus")
    eps = endpoints()
    paths = sorted(eps)
    assert len(paths) <= 255, "one byte picks an endpoint (and one value past them)"
    counts = {
        "schema_pipeline": seed_schema_pipeline(out),
        "reply_decode": seed_reply_decode(out, eps, paths),
        "usersig": seed_usersig(out),
        "emulator_request": seed_emulator_request(out, eps, paths),
        "import_lines": seed_import_lines(out, eps),
        "migrate_lines": seed_migrate_lines(out, eps),
    }
    for target, count in counts.items():
        print(f"{target}: {count} seeds in {os.path.join(out, target)}")


if __name__ == "__main__":
    main()
