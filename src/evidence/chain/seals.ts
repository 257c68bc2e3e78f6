/**
 * Document rows sealed into the hash chain. Tables another module keeps in the evidence database (the compliance
 * tables: product records, batch-to-product links, issued statements) hold whole documents, append-only by
 * trigger; a trigger can be dropped, so every such row also gets a chained `compliance-seal` record holding the
 * SHA-256 of the row's canonical bytes:
 *
 *   sealed_digest = SHA-256(canonical(row tag, the row's columns in the order its owner declares))
 *
 * with the same field encoding as a chained record (canonical.ts, docs/evidence.md). An edited row no longer matches
 * its seal; a re-written seal breaks the chain (and the signed checkpoints after it); a row with no seal, or a seal
 * with no row, is reported by `evidence verify`. The tables and their layouts are their owner's (owned-tables.ts).
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalBytes, type FieldValue } from './canonical.js';
import type { ChainWriter } from './chain-writer.js';
import type { SealedTable } from './owned-tables.js';
import { COMPLIANCE_SEAL_TYPE } from './record-types.js';

/**
 * The digest a row is sealed with. Throws when a stored value cannot be of its column's kind (written by hand).
 *
 * @example sealDigest(BATCH_PRODUCTS, { batch_id: 'B1', product_id: 'cam', recorded_at: '2026-01-02T03:04:05.000Z' });
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
 * Inserts a row into its owner's sealed table and appends its seal to the chain, in the caller's write transaction
 * (call inside `chain.write()`). `values` are by column name; a column left out takes its default (an
 * `INTEGER PRIMARY KEY` its rowid). The digest is of the row as stored, read back: exactly what a verifier reads.
 * `sealedAt` is the seal's `recorded_at`. Returns the row's rowid.
 *
 * @example appendSealedRow(db, chain, BATCH_PRODUCTS, { batch_id: 'B1', product_id: 'cam', recorded_at: t }, t);
 */
export function appendSealedRow(
  db: Database.Database,
  chain: ChainWriter,
  spec: SealedTable,
  values: Readonly<Record<string, FieldValue>>,
  sealedAt: string,
): number {
  const names = Object.keys(values);
  const unknown = names.filter((name) => !spec.columns.some(([column]) => column === name));
  if (unknown.length > 0) throw new TypeError(`${spec.table} has no column ${unknown.join(', ')}`);
  const { lastInsertRowid } = db
    .prepare(`INSERT INTO ${spec.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
    .run(...names.map((name) => values[name]));
  const row = db.prepare(`SELECT * FROM ${spec.table} WHERE rowid = ?`).get(lastInsertRowid) as Record<
    string,
    unknown
  >;
  appendSeal(chain, spec, row, sealedAt);
  return Number(lastInsertRowid);
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

/**
 * Seals every row of `tables` that has no seal yet (the rows a file held before seals existed: migration 5), in
 * table order then row order. Call inside `chain.write()`. Returns how many rows it sealed.
 */
export function sealUnsealedRows(
  db: Database.Database,
  chain: ChainWriter,
  tables: readonly SealedTable[],
  recordedAt: string,
): number {
  let sealed = 0;
  for (const spec of tables) {
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
