/**
 * Compliance rows sealed into the hash chain. Product records, batch-to-product links and issued statements
 * (src/compliance) live in tables of their own, append-only by trigger; a trigger can be dropped, so every such row
 * also gets a chained `compliance-seal` record holding the SHA-256 of the row's canonical bytes:
 *
 *   sealed_digest = SHA-256(canonical(row tag, the row's columns in the order below))
 *
 * with the same field encoding as a chained record (canonical.ts, docs/evidence.md). An edited row no longer matches
 * its seal; a re-written seal breaks the chain (and the signed checkpoints after it); a row with no seal, or a seal
 * with no row, is reported by `evidence verify`.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalBytes, type FieldKind, type FieldValue } from './canonical.js';
import type { ChainWriter } from './chain-writer.js';
import { COMPLIANCE_SEAL_TYPE } from './record-types.js';

export interface SealedTable {
  readonly table: 'product_records' | 'batch_products' | 'issued_statements';
  /** The tag written first in the row's canonical bytes. */
  readonly tag: string;
  /** The column that identifies a row: its value, as text, is the seal's `sealed_key`. */
  readonly key: string;
  /** Every column, in canonical order. */
  readonly columns: readonly (readonly [name: string, kind: FieldKind])[];
  /** Which row this is, in words, for reports. */
  describe(row: Readonly<Record<string, unknown>>): string;
}

/** The sealed tables, in the order `evidence verify` checks them and a migration seals older rows. */
export const SEALED_TABLES: readonly SealedTable[] = [
  {
    table: 'product_records',
    tag: 'credline.product-record-row.v1',
    key: 'id',
    columns: [
      ['id', 'int'],
      ['product_id', 'text'],
      ['revision', 'int'],
      ['record_json', 'text'],
      ['record_hash', 'text'],
      ['support_end_date', 'date'],
      ['scope_outcome', 'text'],
      ['recorded_at', 'time'],
    ],
    describe: (row) => `product ${String(row['product_id'])} revision ${String(row['revision'])}`,
  },
  {
    table: 'batch_products',
    tag: 'credline.batch-product-row.v1',
    key: 'batch_id',
    columns: [
      ['batch_id', 'text'],
      ['product_id', 'text'],
      ['recorded_at', 'time'],
    ],
    describe: (row) => `batch ${String(row['batch_id'])} is product ${String(row['product_id'])}`,
  },
  {
    table: 'issued_statements',
    tag: 'credline.issued-statement-row.v1',
    key: 'id',
    columns: [
      ['id', 'int'],
      ['batch_id', 'text'],
      ['product_id', 'text'],
      ['product_revision', 'int'],
      ['statement_json', 'text'],
      ['content_hash', 'text'],
      ['date_of_issue', 'date'],
      ['retain_until', 'date'],
      ['chain_head_seq', 'int'],
      ['chain_head_hash', 'text'],
      ['issued_at', 'time'],
    ],
    describe: (row) =>
      `statement of compliance issued ${String(row['issued_at'])} for batch ${String(row['batch_id'])}`,
  },
];

/**
 * The digest a row is sealed with. Throws when a stored value cannot be of its column's kind (written by hand).
 *
 * @example sealDigest(SEALED_TABLES[1], { batch_id: 'B1', product_id: 'cam', recorded_at: '2026-01-02T03:04:05.000Z' });
 */
export function sealDigest(spec: SealedTable, row: Readonly<Record<string, unknown>>): string {
  const fields = spec.columns.map(([name, kind]) => [kind, (row[name] ?? null) as FieldValue] as const);
  return createHash('sha256').update(canonicalBytes(spec.tag, fields)).digest('hex');
}

/** The seal's `sealed_key` of a row. */
export function sealKey(spec: SealedTable, row: Readonly<Record<string, unknown>>): string {
  return String(row[spec.key]);
}

/**
 * Appends the seal of the row of `spec.table` whose key column is `key`, reading the row as stored (so the digest
 * is of exactly what a verifier will read). Call inside `chain.write()`, in the transaction that inserted the row.
 */
export function sealRow(
  db: Database.Database,
  chain: ChainWriter,
  spec: SealedTable,
  key: string | number,
  recordedAt: string,
): void {
  const row = db.prepare(`SELECT * FROM ${spec.table} WHERE ${spec.key} = ?`).get(key) as
    Record<string, unknown> | undefined;
  if (!row) throw new Error(`sealRow: no ${spec.table} row with ${spec.key} ${String(key)}`);
  appendSeal(chain, spec, row, recordedAt);
}

function appendSeal(
  chain: ChainWriter,
  spec: SealedTable,
  row: Readonly<Record<string, unknown>>,
  recordedAt: string,
): void {
  chain.append(COMPLIANCE_SEAL_TYPE, {
    sealed_table: spec.table,
    sealed_key: sealKey(spec, row),
    sealed_digest: sealDigest(spec, row),
    recorded_at: recordedAt,
  });
}

/** The table spec of a sealed table. */
export function sealedTable(table: SealedTable['table']): SealedTable {
  return SEALED_TABLES.find((spec) => spec.table === table) as SealedTable;
}

/**
 * Seals every compliance row that has no seal yet (the rows a file held before seals existed: migration 5), in
 * table order then row order. Call inside `chain.write()`. Returns how many rows it sealed.
 */
export function sealUnsealedRows(db: Database.Database, chain: ChainWriter, recordedAt: string): number {
  let sealed = 0;
  for (const spec of SEALED_TABLES) {
    const rows = db
      .prepare(
        `SELECT t.* FROM ${spec.table} t WHERE NOT EXISTS (SELECT 1 FROM compliance_seals s ` +
          `WHERE s.sealed_table = '${spec.table}' AND s.sealed_key = CAST(t.${spec.key} AS TEXT)) ORDER BY t.rowid`,
      )
      .all() as Record<string, unknown>[];
    for (const row of rows) appendSeal(chain, spec, row, recordedAt);
    sealed += rows.length;
  }
  return sealed;
}
