/**
 * What makes an evidence pack checkable on its own: the record formats (evidence/record-types.json), the hash spine
 * of the whole chain (seq, prev_hash, row_hash of every record, no content: evidence/chain-spine.jsonl), the
 * compliance seal of the statement's row (evidence/seals.jsonl) with the row itself (statement/issued-row.json), and
 * the re-verifier script (src/compliance/verify-pack.py, shipped with the package and copied into the pack as it is).
 */
import { readFileSync } from 'node:fs';
import { RECORD_TYPES, type EvidenceStore } from '../evidence/index.js';
import { installedPath } from '../install/index.js';
import { COMPLIANCE_TABLES } from './tables/index.js';

const encoder = new TextEncoder();

/** The re-verifier every pack carries, as shipped. */
export const VERIFY_PACK_PY = installedPath('src', 'compliance', 'verify-pack.py');

/** The checkpoint message's fields, as evidence signs them (docs/evidence.md). */
const CHECKPOINT_FIELDS = [
  { name: 'headSeq', kind: 'int' },
  { name: 'headHash', kind: 'text' },
  { name: 'stationId', kind: 'text' },
  { name: 'publicKey', kind: 'text' },
  { name: 'reason', kind: 'text' },
  { name: 'createdAt', kind: 'time' },
];

function existingTables(store: EvidenceStore): Set<string> {
  return new Set(
    store.readRows(`SELECT name FROM sqlite_schema WHERE type = 'table'`).map((r) => String(r['name'])),
  );
}

/** The pack files that let `python3 verify-pack.py` re-check the chain, the seal and the signatures. */
export function packVerifierFiles(
  store: EvidenceStore,
  sealed: { table: string; key: string | number },
): { name: string; data: Uint8Array }[] {
  const tables = existingTables(store);
  const chained = RECORD_TYPES.filter((t) => tables.has(t.table));
  const spine = store.readRows(
    `${chained.map((t) => `SELECT seq, prev_hash, row_hash FROM ${t.table}`).join(' UNION ALL ')} ORDER BY seq`,
  );
  const seals = store.readRows(
    `SELECT 'compliance-seal' AS record_type, * FROM compliance_seals WHERE sealed_table = ? AND sealed_key = ?`,
    sealed.table,
    String(sealed.key),
  );
  const spec = COMPLIANCE_TABLES.find((t) => t.table === sealed.table);
  const row = store.readRow(`SELECT * FROM ${sealed.table} WHERE ${spec?.key ?? 'id'} = ?`, sealed.key);
  const recordTypes = {
    note:
      'canonical(record) = field(tag) || field(value) for each field in order; field(NULL) = 0x00; field(v) = 0x01 || ' +
      'uint32be(len) || UTF-8 text; int in base 10, real3 with exactly 3 decimals (12 -> "12.000"), text/time/date ' +
      'as written; fields after baseFields are left out while they and every field after them are NULL; ' +
      'row_hash = SHA-256(prev_hash as 32 bytes || canonical(record)); the first prev_hash is 32 zero bytes',
    recordTypes: RECORD_TYPES.map((t) => ({
      name: t.name,
      tag: t.tag,
      baseFields: t.baseFields,
      fields: t.fields.map((f) => ({ name: f.name, kind: f.kind })),
    })),
    sealedTables: Object.fromEntries(
      COMPLIANCE_TABLES.map((t) => [
        t.table,
        { tag: t.tag, key: t.key, columns: t.columns.map(([name, kind]) => ({ name, kind })) },
      ]),
    ),
    checkpoint: { tag: 'credline.checkpoint.v1', fields: CHECKPOINT_FIELDS },
  };
  const lines = (rows: readonly Record<string, unknown>[]): Uint8Array =>
    encoder.encode(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return [
    { name: 'evidence/record-types.json', data: encoder.encode(`${JSON.stringify(recordTypes, null, 2)}\n`) },
    { name: 'evidence/chain-spine.jsonl', data: lines(spine) },
    { name: 'evidence/seals.jsonl', data: lines(seals) },
    ...(row
      ? [
          {
            name: 'statement/issued-row.json',
            data: encoder.encode(`${JSON.stringify({ table: sealed.table, row }, null, 2)}\n`),
          },
        ]
      : []),
    { name: 'verify-pack.py', data: readFileSync(VERIFY_PACK_PY) },
  ];
}
