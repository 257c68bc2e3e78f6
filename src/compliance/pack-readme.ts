/** The README of an evidence pack: what each file is and how an auditor checks each claim independently. */
import type { BatchRecord, ChainHead } from '../evidence/index.js';
import type { BatchSupport } from './batch-support.js';
import { formatLongDate } from './calendar-date.js';
import type { PackRestriction } from './pack-restriction.js';
import type { PackAudit } from './pack-audit.js';
import { orderReportsReadme, type PackedOrderReport } from './pack-orders.js';
import type { UniquenessReport } from './pack-uniqueness.js';
import type { PackDocumentFacts } from './pack-route.js';

export interface PackReadmeFacts {
  batch: BatchRecord;
  /** The batch's support period in force (an extension recorded in its batch terms). */
  support: BatchSupport;
  /** The statement, or the label route, the pack evidences. */
  document: PackDocumentFacts;
  verifyOk: boolean;
  verifyProblems: string[];
  head: ChainHead;
  uniqueness: UniquenessReport;
  profileIncluded: boolean;
  profileNote: string;
  keyIds: string[];
  restriction?: PackRestriction;
  eventRecords: number;
  generatedAt: string;
  /** Present when the batch was re-derived with the line key and audited. */
  audit?: PackAudit;
  /** The work-order reports carried in orders/ (checked against the store). */
  orderReports?: readonly PackedOrderReport[];
}

const CANONICAL_HASH_PY =
  "python3 -c 'import json,hashlib,sys; print(hashlib.sha256(json.dumps(json.load(open(sys.argv[1])), " +
  'sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest())\'';

const DISTINCT_FINGERPRINTS_PY =
  'python3 -c \'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; p={x["serial"]: (x["key_id"], ' +
  'x["fingerprint"]) for x in r if x.get("result") == "PASS"}; k={}; [k.setdefault(i, []).append(f) for i, f in ' +
  'p.values()]; [print("key", i + ":", len(f), "devices,", len(set(f)), "distinct fingerprints") for i, f in ' +
  "sorted(k.items())]'";

function describeRestriction(r: PackRestriction): string {
  const parts: string[] = [];
  if (r.serialFrom !== undefined || r.serialTo !== undefined) {
    parts.push(`serials ${r.serialFrom ?? '(first)'} to ${r.serialTo ?? '(last)'}`);
  }
  if (r.since !== undefined || r.until !== undefined) {
    parts.push(`records from ${r.since ?? '(start)'} to ${r.until ?? '(end)'}`);
  }
  return parts.join('; ');
}

function auditSentence(audit: PackAudit | undefined): string {
  if (!audit) {
    return (
      'The other para 1(3) rules (counters, public information, identifiers, guessability) need the passwords: ' +
      'the manufacturer re-derives them with the line key (`credline pack --key ...` or `credline audit --derive`).'
    );
  }
  const others = audit.notReDerived.map((k) => `${k.devices} under key ${k.keyId}`).join(', ');
  return (
    `audit/audit-report.json: ${audit.devices} devices re-derived with line key ${audit.keyId}, ` +
    `${audit.fingerprintMismatches.length} fingerprint mismatch(es), overall ${audit.passed ? 'PASS' : 'FAIL'}` +
    (others ? `; not re-derived, so not audited here: ${others} (re-derive them with their key).` : '.')
  );
}

/** Renders README.md for the pack. */
export function renderPackReadme(f: PackReadmeFacts): string {
  const s = f.document;
  const lines: string[] = [`# Evidence pack: batch ${f.batch.batchId}`, ''];
  if (!f.verifyOk) {
    lines.push(
      '> **VERIFY FAILED: the evidence database did not pass `credline evidence verify`. Do not rely on this pack',
      '> until the problems below are explained.**',
      '>',
      ...f.verifyProblems.slice(0, 10).map((p) => `> - ${p}`),
      '',
    );
  }
  if (f.audit && !f.audit.passed) {
    lines.push(
      '> **AUDIT FAILED: the re-derived batch breaks a Schedule 1 para 1 rule (see audit/audit-report.json).**',
      '',
    );
  }
  if (!f.uniqueness.passed) {
    lines.push(
      '> **UNIQUENESS FAILED: two or more devices share a password fingerprint under one line key (see audit/uniqueness.json).**',
      '',
    );
  }
  lines.push(`**Route:** ${s.routeNote}`, '');
  if (s.example) lines.push("> **EXAMPLE DATA: generated from credline's demo product record.**", '');
  lines.push(
    `Product: ${s.product.brand} ${s.product.model} (${s.product.type}). Profile ${f.batch.profileId} revision ` +
      `${f.batch.profileRevision}. Generated ${f.generatedAt} by credline.`,
    '',
  );
  if (f.restriction) {
    lines.push(
      `**Restricted pack** (e.g. for an information notice): ${describeRestriction(f.restriction)}. Only records in ` +
        'that range are in evidence/events.jsonl; the chain head and verify result cover the whole database.',
      '',
    );
  }
  lines.push(
    '## Contents',
    '',
    '| File | What it is |',
    '|---|---|',
    s.route === 'statement'
      ? '| `statement/statement-of-compliance.{json,md,html,pdf}` | The statement of compliance as issued (Schedule 4). The JSON is the record; the others are renderings of it. The signed paper copy is kept by the manufacturer. |'
      : '| `statement/label-route.{json,md}` | The label route recorded for the batch (regulation 4A, Schedule 2A): the label, its scheme specification, validity and the date of supply. The JSON is the record. |',
    s.route === 'statement'
      ? '| `statement/issued.json` | When it was issued, its content hash, retain-until date, and the evidence chain head at issue. |'
      : '| `statement/issued.json` | When the label route was recorded, its content hash, retain-until date and the seq of its seal. |',
    '| `product-record.json` | The product record revision the statement was rendered from (manufacturers, support period, compliance basis, scope note). |',
    `| \`evidence/events.jsonl\` | The batch's ${f.eventRecords} hash-chained evidence records (credline evidence export format): intents, results, policy rejections. Password fingerprints only: no password, no key. |`,
    '| `evidence/batch.json` | The batch record: profile id, revision and hash, support period end, retention date. |',
    '| `evidence/verify.json` | The result of `credline evidence verify` on the whole database when the pack was made. |',
    '| `evidence/chain-head.json` | The chain head (seq and hash) and the signed checkpoints (Ed25519). |',
    '| `evidence/key-ids.json` | The ids of the line keys used (never the keys). |',
    '| `audit/uniqueness.json` | Password uniqueness shown from fingerprints, judged per line key (Schedule 1 para 1(2)(a)). |',
    f.audit
      ? '| `audit/audit-report.json` | The batch re-derived in memory with the line key and audited against every Schedule 1 para 1 rule (no password in it). |'
      : '| (no `audit/audit-report.json`) | The line key was not given, so the batch was not re-derived: uniqueness is shown from fingerprints only. |',
    `| \`profile/\` | ${f.profileIncluded ? 'The device profile used, and its hash.' : 'The profile hash the batch records (the profile file itself was not available: see profile-hash.json).'} |`,
    '| `retention.json` | Retain-until dates (regulations 8 and 9). |',
    '| `evidence/record-types.json`, `evidence/chain-spine.jsonl`, `evidence/seals.jsonl`, `statement/issued-row.json` | What re-verifying needs: record formats, the hash spine of the whole chain, the statement row and its seal. |',
    '| `verify-pack.py` | The re-verifier for this pack (python3; openssl for signatures). |',
    '| `manifest.json`, `SHA256SUMS` | SHA-256 of every file. |',
    '',
    '## How to check each claim yourself',
    '',
    '**One command checks the chain, the seals and the signatures:** `python3 verify-pack.py` in this folder (Python 3 standard library; `openssl` 1.1.1 or later for Ed25519). Give `--station-key HEX` with the station public key the manufacturer anchored outside the station. It prints OK or FAIL per check and ends with ALL CHECKS PASSED (exit 0). The steps below say what each check means and how to repeat it by hand.',
    '',
    '1. **Nothing in the pack was changed.** Run `sha256sum -c SHA256SUMS` in this folder: every line must say OK. Compare the SHA-256 of `SHA256SUMS` (`sha256sum SHA256SUMS`) with the one the manufacturer sent you separately (`credline pack` prints it).',
    `2. **The ${s.route === 'statement' ? 'statement' : 'label route'} is the one recorded.** Its content hash is the SHA-256 of its canonical JSON (keys sorted, no spaces): \`${CANONICAL_HASH_PY} ${s.file}\` must print \`${s.contentHash}\` (also in statement/issued.json and statement/issued-row.json).`,
    `3. **It came from this product record.** The same command on \`product-record.json\` must print \`${s.productRecordHash ?? '(not recorded)'}\`, the hash it cites.`,
    "4. **The statement carries every Schedule 4 field.** statement/statement-of-compliance.md has one section per paragraph, 1(a) to 1(g) (product and batch; manufacturers and authorised representatives; the two declarations; the basis for each Schedule 1 paragraph, with each standard's identification number, version and date of issue; the defined support period; the signatory; place and date of issue). The signature is on the signed paper copy the manufacturer keeps.",
    `5. **The evidence chain is intact.** Each record in evidence/events.jsonl carries \`prev_hash\` and \`row_hash\`: \`row_hash\` = SHA-256(prev_hash as 32 bytes ‖ canonical record bytes). evidence/record-types.json gives, per record type, its tag and fields in canonical order with their kinds, and the encoding (a field is 0x00 for NULL, else 0x01, a 4-byte big-endian length and UTF-8 text; integers in base 10; reals with exactly 3 decimals, so a JSON \`12\` is hashed as \`12.000\`). evidence/chain-spine.jsonl lists seq, prev_hash and row_hash of every record of the whole chain (no content) from seq 1 to the head ${f.head.seq}:${f.head.hash}: each prev_hash is the row_hash before it, and every record in this pack sits on it at its seq.`,
    `6. **The chain head is authentic.** evidence/chain-head.json lists checkpoints, each signing a head (seq and hash) on the spine with the station's Ed25519 key. The signed message is the canonical bytes of tag \`credline.checkpoint.v1\` and the fields headSeq (int), headHash, stationId, publicKey, reason (text), createdAt (time) (evidence/record-types.json \`checkpoint\`); verify-pack.py checks each with \`openssl pkeyutl -verify -pubin -keyform DER -rawin\` (the key as DER: hex 302a300506032b6570032100 followed by the 32-byte public key).`,
    "7. **The statement is sealed into that chain.** statement/issued-row.json is the statement's database row; the SHA-256 of its canonical bytes (tag and columns in evidence/record-types.json `sealedTables`) is the `sealed_digest` of its compliance seal in evidence/seals.jsonl, a chained record on the spine. The row's `chain_head_seq`/`chain_head_hash` (chainHeadAtIssue) must be the spine entry at that seq: the statement was issued against that point of the signed chain.",
    `8. **Every device has its own password.** \`${DISTINCT_FINGERPRINTS_PY} evidence/events.jsonl\` prints one line per line key, and each must print equal numbers (${f.uniqueness.devices} devices: ${f.uniqueness.scope}). Equal passwords give equal fingerprints under one line key, so distinct fingerprints mean distinct passwords; a fingerprint is keyed by the line key, so fingerprints under two keys cannot be compared. ${auditSentence(f.audit)}`,
    `9. **The profile is the one used.** ${f.profileIncluded ? "profile/profile.json is the profile file as written; profile/profile-as-hashed.json is the same with the schema's defaults filled in and `$schema` left out, which is what the hash covers: `" + CANONICAL_HASH_PY + ' profile/profile-as-hashed.json` must print `profileHash` of evidence/batch.json and `profile_hash` of every event.' : f.profileNote}`,
    f.restriction
      ? '10. **What the gaps in a restricted pack mean.** events.jsonl holds only the records in the requested range; the seqs between them are records outside it (other serials, other batches, compliance seals of other rows). The spine vouches for each of them by hash only, so the pack shows nothing was removed from or inserted into the chain without disclosing them.'
      : '10. **Seq gaps.** Seqs missing from events.jsonl belong to other batches or to compliance seals; the spine vouches for them by hash only.',
    `11. **No key is disclosed.** The pack holds key ids only (${f.keyIds.join(', ') || 'none'}); a key holder can confirm an id with \`credline keys info KEYFILE\`.`,
    `12. **Retention.** retention.json gives the retain-until dates: the later of 10 years beginning with the date of issue (${formatLongDate(s.date)}) and the end of the defined support period (${formatLongDate(s.supportEndDate)} at first supply${f.support.extended ? `; the batch's is extended to ${formatLongDate(f.support.supportEndDate)}, batch-terms record seq ${f.support.extended.termsSeq}: evidence/batch.json supportPeriodInForce` : ''}).`,
    '',
  );
  lines.push(...orderReportsReadme(f.orderReports ?? []));
  return `${lines.join('\n')}\n`;
}
