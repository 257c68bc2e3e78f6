/** The README of an evidence pack: what each file is and how an auditor checks each claim independently. */
import type { BatchRecord, ChainHead } from '../evidence/index.js';
import { formatLongDate } from './calendar-date.js';
import type { PackRestriction } from './pack-restriction.js';
import type { PackAudit } from './pack-audit.js';
import type { UniquenessReport } from './pack-uniqueness.js';
import type { StatementOfCompliance } from './statement.js';

export interface PackReadmeFacts {
  batch: BatchRecord;
  statement: StatementOfCompliance;
  issuedHash: string;
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
}

const CANONICAL_HASH_PY =
  "python3 -c 'import json,hashlib,sys; print(hashlib.sha256(json.dumps(json.load(open(sys.argv[1])), " +
  'sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest())\'';

const DISTINCT_FINGERPRINTS_PY =
  'python3 -c \'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; p={x["serial"]: x["fingerprint"] ' +
  'for x in r if x.get("result") == "PASS"}; print(len(p), "devices,", len(set(p.values())), "distinct fingerprints")\'';

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
  return (
    `audit/audit-report.json: ${audit.devices} devices re-derived with the line key, ` +
    `${audit.fingerprintMismatches.length} fingerprint mismatch(es), overall ${audit.passed ? 'PASS' : 'FAIL'}.`
  );
}

/** Renders README.md for the pack. */
export function renderPackReadme(f: PackReadmeFacts): string {
  const s = f.statement;
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
      '> **UNIQUENESS FAILED: two or more devices share a password fingerprint (see audit/uniqueness.json).**',
      '',
    );
  }
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
    '| `statement/statement-of-compliance.{json,md,html,pdf}` | The statement of compliance as issued (Schedule 4). The JSON is the record; the others are renderings of it. The signed paper copy is kept by the manufacturer. |',
    '| `statement/issued.json` | When it was issued, its content hash, retain-until date, and the evidence chain head at issue. |',
    '| `product-record.json` | The product record revision the statement was rendered from (manufacturers, support period, compliance basis, scope note). |',
    `| \`evidence/events.jsonl\` | The batch's ${f.eventRecords} hash-chained evidence records (credline evidence export format): intents, results, policy rejections. Password fingerprints only: no password, no key. |`,
    '| `evidence/batch.json` | The batch record: profile id, revision and hash, support period end, retention date. |',
    '| `evidence/verify.json` | The result of `credline evidence verify` on the whole database when the pack was made. |',
    '| `evidence/chain-head.json` | The chain head (seq and hash) and the signed checkpoints (Ed25519). |',
    '| `evidence/key-ids.json` | The ids of the line keys used (never the keys). |',
    '| `audit/uniqueness.json` | Password uniqueness shown from fingerprints (Schedule 1 para 1(2)(a)). |',
    f.audit
      ? '| `audit/audit-report.json` | The batch re-derived in memory with the line key and audited against every Schedule 1 para 1 rule (no password in it). |'
      : '| (no `audit/audit-report.json`) | The line key was not given, so the batch was not re-derived: uniqueness is shown from fingerprints only. |',
    `| \`profile/\` | ${f.profileIncluded ? 'The device profile used, and its hash.' : 'The profile hash the batch records (the profile file itself was not available: see profile-hash.json).'} |`,
    '| `retention.json` | Retain-until dates (regulations 8 and 9). |',
    '| `manifest.json`, `SHA256SUMS` | SHA-256 of every file. |',
    '',
    '## How to check each claim yourself',
    '',
    '1. **Nothing in the pack was changed.** Run `sha256sum -c SHA256SUMS` in this folder: every line must say OK. Compare the SHA-256 of `SHA256SUMS` with the one the manufacturer sent you separately.',
    `2. **The statement is the one recorded.** Its content hash is the SHA-256 of its canonical JSON (keys sorted, no spaces): \`${CANONICAL_HASH_PY} statement/statement-of-compliance.json\` must print \`${f.issuedHash}\` (also in statement/issued.json and the manufacturer's database).`,
    `3. **The statement came from this product record.** The same command on \`product-record.json\` must print \`${s.source?.productRecordHash ?? '(not recorded)'}\`, the hash the statement cites.`,
    `4. **The statement carries every Schedule 4 field.** \`credline soc check statement/statement-of-compliance.md\` lists any gap (the only expected one is the signature, which is on the signed paper copy).`,
    `5. **The evidence chain is intact.** Each record in evidence/events.jsonl carries \`prev_hash\` and \`row_hash\`; \`row_hash\` = SHA-256(prev_hash ‖ canonical record bytes), as specified in credline's docs/evidence.md, and each record's \`prev_hash\` is the \`row_hash\` before it in the whole chain. With the database itself: \`credline evidence verify --db FILE --expect-head ${f.head.seq}:${f.head.hash}\`.`,
    "6. **The chain head is authentic.** evidence/chain-head.json lists checkpoints signed with the station's Ed25519 key; check them against the station public key the manufacturer anchored outside the station (`credline evidence verify --station-key ...`).",
    `7. **Every device has its own password.** \`${DISTINCT_FINGERPRINTS_PY} evidence/events.jsonl\` must print equal numbers (${f.uniqueness.devices} devices). Equal passwords give equal fingerprints under one line key, so distinct fingerprints mean distinct passwords. ${auditSentence(f.audit)}`,
    `8. **The profile is the one used.** ${f.profileIncluded ? '`credline profiles show profile/profile.json` prints its hash; it must equal `batchProfileHash` in profile/profile-hash.json and `profile_hash` in every event.' : f.profileNote}`,
    `9. **No key is disclosed.** The pack holds key ids only (${f.keyIds.join(', ') || 'none'}); a key holder can confirm an id with \`credline keys info KEYFILE\`.`,
    `10. **Retention.** retention.json gives the retain-until dates: the later of 10 years beginning with the date of issue (${formatLongDate(s.dateOfIssue)}) and the end of the defined support period (${formatLongDate(s.supportPeriod.endDate)} at first supply).`,
    '',
  );
  return `${lines.join('\n')}\n`;
}
