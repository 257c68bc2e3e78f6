#!/usr/bin/env python3
"""Re-verifies a credline evidence pack with the pack alone (python3 standard library; openssl for signatures).

Run in the pack folder:  python3 verify-pack.py [--station-key HEX]
Checks, printing OK or FAIL for each:
  1. every record in evidence/events.jsonl and evidence/seals.jsonl hashes to its row_hash
     (row_hash = SHA-256(prev_hash as 32 bytes || canonical record bytes), format in evidence/record-types.json);
  2. evidence/chain-spine.jsonl links seq 1 .. head from the genesis hash (prev_hash of each = row_hash before it),
     ends at the head in evidence/chain-head.json, and holds every pack record's row_hash at its seq. Seqs missing
     from events.jsonl are records not in this pack (other batches, other serials of a restricted pack, compliance
     seals of other rows): the spine gives only their hashes;
  3. the statement row (statement/issued-row.json) hashes to the sealed_digest of its compliance seal, the statement
     file is the row's statement, and the row's chain_head_seq/chain_head_hash (chainHeadAtIssue) is on the spine;
  4. each checkpoint's head is on the spine, and its Ed25519 signature verifies (openssl pkeyutl), with the
     station key given (--station-key) when the manufacturer anchored one outside the station;
  5. the profile hash recipe: SHA-256 of the canonical JSON of profile/profile-as-hashed.json equals the batch's
     profile_hash, and profile/profile.json is that object without defaults (informational).
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

GENESIS = "0" * 64
failures = []


def report(ok, what):
    print(("OK   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def field_text(kind, value):
    if kind == "int":
        return str(int(value))
    if kind == "real3":
        return "%.3f" % value
    return str(value)


def canonical(tag, fields, values, base_fields=None):
    out = bytearray()

    def put(text):
        data = text.encode("utf-8")
        out.extend(b"\x01" + len(data).to_bytes(4, "big") + data)

    put(tag)
    count = len(fields)
    if base_fields is not None:
        count = base_fields
        for i in range(len(fields) - 1, base_fields - 1, -1):
            if values[i] is not None:
                count = i + 1
                break
    for (name, kind), value in zip(fields[:count], values[:count]):
        if value is None:
            out.extend(b"\x00")
        else:
            put(field_text(kind, value))
    return bytes(out)


def record_hash(types, record):
    t = types[record["record_type"]]
    fields = [(f["name"], f["kind"]) for f in t["fields"]]
    values = [record.get(name) for name, _ in fields]
    data = canonical(t["tag"], fields, values, t["baseFields"])
    return hashlib.sha256(bytes.fromhex(record["prev_hash"]) + data).hexdigest()


def canonical_json_hash(value):
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ed25519_verify(public_hex, message, signature_hex):
    der = bytes.fromhex("302a300506032b6570032100") + bytes.fromhex(public_hex)
    with tempfile.TemporaryDirectory() as d:
        paths = {n: os.path.join(d, n) for n in ("key.der", "msg", "sig")}
        open(paths["key.der"], "wb").write(der)
        open(paths["msg"], "wb").write(message)
        open(paths["sig"], "wb").write(bytes.fromhex(signature_hex))
        run = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", paths["key.der"],
             "-rawin", "-in", paths["msg"], "-sigfile", paths["sig"]],
            capture_output=True, text=True)
        return run.returncode == 0


def main():
    station_key = None
    if "--station-key" in sys.argv:
        station_key = sys.argv[sys.argv.index("--station-key") + 1].lower()
    spec = json.load(open("evidence/record-types.json", encoding="utf-8"))
    types = {t["name"]: t for t in spec["recordTypes"]}
    events = load_jsonl("evidence/events.jsonl")
    seals = load_jsonl("evidence/seals.jsonl")
    spine = load_jsonl("evidence/chain-spine.jsonl")
    head = json.load(open("evidence/chain-head.json", encoding="utf-8"))

    bad = [r["seq"] for r in events + seals if record_hash(types, r) != r["row_hash"]]
    report(not bad, "%d records hash to their row_hash%s" % (len(events) + len(seals), " (not: %s)" % bad[:5] if bad else ""))

    by_seq = {s["seq"]: s for s in spine}
    linked = bool(spine) and spine[0]["prev_hash"] == GENESIS and all(
        spine[i]["seq"] == i + 1 and (i == 0 or spine[i]["prev_hash"] == spine[i - 1]["row_hash"]) for i in range(len(spine)))
    report(linked, "chain spine links seq 1..%d from the genesis hash" % len(spine))
    report(bool(spine) and spine[-1]["seq"] == head["head"]["seq"] and spine[-1]["row_hash"] == head["head"]["hash"],
           "spine ends at the head %s:%s" % (head["head"]["seq"], head["head"]["hash"]))
    off = [r["seq"] for r in events + seals if by_seq.get(r["seq"], {}).get("row_hash") != r["row_hash"] or by_seq.get(r["seq"], {}).get("prev_hash") != r["prev_hash"]]
    report(not off, "every pack record is on the spine at its seq%s" % (" (not: %s)" % off[:5] if off else ""))
    present = {r["seq"] for r in events}
    gaps = len(spine) - len(present)
    print("     %d of %d chain records are in events.jsonl; the other %d are outside this pack (hash only, on the spine)" % (len(present), len(spine), gaps))

    if os.path.exists("statement/issued-row.json"):
        row = json.load(open("statement/issued-row.json", encoding="utf-8"))
        table = spec["sealedTables"][row["table"]]
        columns = [(c["name"], c["kind"]) for c in table["columns"]]
        digest = hashlib.sha256(canonical(table["tag"], columns, [row["row"].get(n) for n, _ in columns])).hexdigest()
        seal = next((s for s in seals if s.get("sealed_table") == row["table"] and s.get("sealed_key") == str(row["row"][table["key"]])), None)
        report(seal is not None and seal["sealed_digest"] == digest, "the statement row matches its compliance seal (seq %s)" % (seal or {}).get("seq"))
        statement_file = "statement/statement-of-compliance.json" if row["table"] == "issued_statements" else "statement/label-route.json"
        document_column = "statement_json" if row["table"] == "issued_statements" else "document_json"
        stored = json.loads(row["row"][document_column])
        report(canonical_json_hash(stored) == canonical_json_hash(json.load(open(statement_file, encoding="utf-8"))) == row["row"]["content_hash"],
               "%s is the sealed row's document (content hash %s)" % (statement_file, row["row"]["content_hash"]))
        if "chain_head_seq" in row["row"]:
            at = by_seq.get(row["row"]["chain_head_seq"])
            report(at is not None and at["row_hash"] == row["row"]["chain_head_hash"],
                   "chainHeadAtIssue %s:%s is on the signed chain" % (row["row"]["chain_head_seq"], row["row"]["chain_head_hash"]))

    checkpoints = head.get("checkpoints", [])
    if not checkpoints:
        print("     no signed checkpoint in the pack: the chain head is not signed")
    for c in checkpoints:
        on = by_seq.get(c["headSeq"], {}).get("row_hash") == c["headHash"]
        message = canonical(spec["checkpoint"]["tag"], [(f["name"], f["kind"]) for f in spec["checkpoint"]["fields"]],
                            [c["headSeq"], c["headHash"], c["stationId"], c["publicKey"], c["reason"], c["createdAt"]])
        signed = ed25519_verify(c["publicKey"], message, c["signature"])
        pinned = station_key is None or station_key == c["publicKey"]
        report(on and signed and pinned, "checkpoint %s (head %s) on the spine, Ed25519 signature by %s%s" % (
            c["id"], c["headSeq"], c["publicKey"][:16], "" if station_key is None else ", the anchored station key"))

    if os.path.exists("profile/profile-as-hashed.json"):
        batch = json.load(open("evidence/batch.json", encoding="utf-8"))
        profile_hash = canonical_json_hash(json.load(open("profile/profile-as-hashed.json", encoding="utf-8")))
        report(profile_hash == batch["profileHash"], "profile hash %s equals the batch's" % profile_hash)
    print("ALL CHECKS PASSED" if not failures else "%d CHECK(S) FAILED" % len(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
