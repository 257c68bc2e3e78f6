/**
 * The chained record types: which table each lives in and its canonical field order. Every chained row has
 * `seq` (shared by all tables: one chain, one head), `prev_hash` and `row_hash`; the fields below (after `seq`) are
 * hashed in this order. Changing a list changes every hash: add a new type tag (`…v2`) instead.
 */
import type { FieldKind, FieldValue } from './canonical.js';

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
}

export interface RecordType {
  /** The type tag written first in the canonical bytes, e.g. `credline.event.v1`. */
  readonly tag: string;
  /** Short name used in exports and reports. */
  readonly name: 'station' | 'line-key' | 'batch' | 'event' | 'rejection' | 'compliance-seal';
  readonly table: string;
  /** The evidence schema version (migrations.ts) that created the type's table: older files have no such table. */
  readonly sinceVersion: number;
  /** Canonical field order; `seq` is always first. */
  readonly fields: readonly FieldSpec[];
}

const f = (name: string, kind: FieldKind): FieldSpec => ({ name, kind });

export const STATION_TYPE: RecordType = {
  tag: 'credline.station.v1',
  name: 'station',
  table: 'stations',
  sinceVersion: 1,
  fields: [f('seq', 'int'), f('station_id', 'text'), f('label', 'text'), f('recorded_at', 'time')],
};

export const LINE_KEY_TYPE: RecordType = {
  tag: 'credline.line-key.v1',
  name: 'line-key',
  table: 'line_keys',
  sinceVersion: 1,
  fields: [f('seq', 'int'), f('key_id', 'text'), f('label', 'text'), f('recorded_at', 'time')],
};

export const BATCH_TYPE: RecordType = {
  tag: 'credline.batch.v1',
  name: 'batch',
  table: 'batches',
  sinceVersion: 1,
  fields: [
    f('seq', 'int'),
    f('batch_id', 'text'),
    f('product_type', 'text'),
    f('profile_id', 'text'),
    f('profile_revision', 'int'),
    f('profile_hash', 'text'),
    f('firmware', 'text'),
    f('support_end_date', 'date'),
    f('retention_until', 'date'),
    f('recorded_at', 'time'),
  ],
};

export const EVENT_TYPE: RecordType = {
  tag: 'credline.event.v1',
  name: 'event',
  table: 'provisioning_events',
  sinceVersion: 1,
  fields: [
    f('seq', 'int'),
    f('kind', 'text'),
    f('intent_seq', 'int'),
    f('batch_id', 'text'),
    f('serial', 'text'),
    f('key_id', 'text'),
    f('scheme_version', 'int'),
    f('profile_id', 'text'),
    f('profile_revision', 'int'),
    f('profile_hash', 'text'),
    f('attempt', 'int'),
    f('fingerprint', 'text'),
    f('zxcvbn_score', 'int'),
    f('zxcvbn_log10_guesses', 'real3'),
    f('entropy_bits', 'real3'),
    f('result', 'text'),
    f('readback_verified', 'int'),
    f('reason_code', 'text'),
    f('reason_text', 'text'),
    f('reprovision_reason', 'text'),
    f('port', 'text'),
    f('station_id', 'text'),
    f('operator', 'text'),
    f('started_at', 'time'),
    f('finished_at', 'time'),
    f('recorded_at', 'time'),
  ],
};

export const REJECTION_TYPE: RecordType = {
  tag: 'credline.rejection.v1',
  name: 'rejection',
  table: 'policy_rejections',
  sinceVersion: 1,
  fields: [
    f('seq', 'int'),
    f('batch_id', 'text'),
    f('serial', 'text'),
    f('key_id', 'text'),
    f('scheme_version', 'int'),
    f('attempt', 'int'),
    f('rule', 'text'),
    f('detail', 'text'),
    f('port', 'text'),
    f('station_id', 'text'),
    f('operator', 'text'),
    f('recorded_at', 'time'),
  ],
};

/**
 * A compliance row (product record, batch-to-product link, issued statement: src/compliance) sealed into the chain:
 * `sealed_digest` is the SHA-256 of the row's canonical bytes (seals.ts), so an edit of the row, which
 * its triggers alone cannot stop, breaks the seal, and a re-written seal breaks the chain.
 */
export const COMPLIANCE_SEAL_TYPE: RecordType = {
  tag: 'credline.compliance-seal.v1',
  name: 'compliance-seal',
  table: 'compliance_seals',
  sinceVersion: 5,
  fields: [
    f('seq', 'int'),
    f('sealed_table', 'text'),
    f('sealed_key', 'text'),
    f('sealed_digest', 'text'),
    f('recorded_at', 'time'),
  ],
};

/** The kinds of a type's fields, in canonical order. */
export function kindsOf(type: RecordType): readonly FieldKind[] {
  return KINDS.get(type) ?? type.fields.map((f) => f.kind);
}

/** Every chained record type, in the order their tables were created. */
export const RECORD_TYPES: readonly RecordType[] = [
  STATION_TYPE,
  LINE_KEY_TYPE,
  BATCH_TYPE,
  EVENT_TYPE,
  REJECTION_TYPE,
  COMPLIANCE_SEAL_TYPE,
];

/** The record types whose tables a store at schema `version` has. */
export function recordTypesAt(version: number): readonly RecordType[] {
  return RECORD_TYPES.filter((t) => t.sinceVersion <= version);
}

/** The union of all chained fields (name → kind), in first-seen order, events' fields first: export columns. */
export const ALL_FIELDS: readonly FieldSpec[] = (() => {
  const seen = new Map<string, FieldSpec>();
  for (const type of [EVENT_TYPE, ...RECORD_TYPES]) {
    for (const field of type.fields) {
      const known = seen.get(field.name);
      if (known && known.kind !== field.kind) throw new Error(`field ${field.name} has two kinds`);
      if (!known) seen.set(field.name, field);
    }
  }
  return [...seen.values()];
})();

const KINDS = new Map(RECORD_TYPES.map((t) => [t, t.fields.map((f) => f.kind)] as const));
const BY_TAG = new Map(RECORD_TYPES.map((t) => [t.tag, t]));

export function recordTypeByTag(tag: string): RecordType | undefined {
  return BY_TAG.get(tag);
}

/** The columns of a chainQuerySql row, in order (read it with `.raw()`: arrays are much cheaper than objects). */
export const CHAIN_COLUMNS: readonly string[] = [
  'record_type',
  'prev_hash',
  'row_hash',
  ...ALL_FIELDS.map((f) => f.name),
];

const RAW_INDEXES = new Map(
  RECORD_TYPES.map((t) => [t, t.fields.map((f) => CHAIN_COLUMNS.indexOf(f.name))] as const),
);

/** A raw chain row, typed: its record type, place in the chain, and its own fields' values in canonical order. */
export interface ChainRecord {
  type: RecordType;
  seq: number;
  prevHash: string;
  rowHash: string;
  values: FieldValue[];
}

/** Reads one `.raw()` row of chainQuerySql. */
export function toChainRecord(raw: readonly FieldValue[]): ChainRecord {
  const type = BY_TAG.get(raw[0] as string) as RecordType;
  const values = (RAW_INDEXES.get(type) as number[]).map((i) => raw[i] ?? null);
  return { type, seq: values[0] as number, prevHash: raw[1] as string, rowHash: raw[2] as string, values };
}

/** The filter a chain query takes; each applies to the record types that have the column. */
export interface ChainFilter {
  batchId?: string;
  /** ISO-8601 UTC; records with `recorded_at >= since`. */
  since?: string;
  /** Only these record types. */
  types?: readonly RecordType['name'][];
  /** Records with `seq >= fromSeq`. */
  fromSeq?: number;
  /** Records with `seq <= toSeq`. */
  toSeq?: number;
}

/**
 * SQL that reads the whole chain (of the `present` types) in seq order, one row per record with columns `record_type`, `prev_hash`,
 * `row_hash` and every field of ALL_FIELDS (NULL where the type has no such field). SQLite merges the per-table
 * rowid orders, so the query streams in constant memory. Named parameters: `@batchId`, `@since`, `@fromSeq`,
 * `@toSeq`.
 */
export function chainQuerySql(present: readonly RecordType[], filter: ChainFilter = {}): string {
  return `${chainBranchSql(present, filter).join('\nUNION ALL\n')}\nORDER BY seq`;
}

/**
 * The branches of chainQuerySql, one per record type of `present` (the types the file has tables for:
 * recordTypesAt) that the filter keeps, in RECORD_TYPES order, each ordered by seq: chain-rows.ts merges them in
 * JavaScript.
 */
export function chainBranchSql(present: readonly RecordType[], filter: ChainFilter = {}): string[] {
  const types = present.filter((t) => !filter.types || filter.types.includes(t.name));
  return types
    .filter((t) => filter.batchId === undefined || t.fields.some((x) => x.name === 'batch_id'))
    .map((type) => {
      const own = new Set(type.fields.map((x) => x.name));
      const columns = ALL_FIELDS.map((x) => (own.has(x.name) ? x.name : `NULL AS ${x.name}`));
      const where: string[] = [];
      if (filter.batchId !== undefined) where.push('batch_id = @batchId');
      if (filter.since !== undefined) where.push('recorded_at >= @since');
      if (filter.fromSeq !== undefined) where.push('seq >= @fromSeq');
      if (filter.toSeq !== undefined) where.push('seq <= @toSeq');
      return (
        `SELECT '${type.tag}' AS record_type, prev_hash, row_hash, ${columns.join(', ')} FROM ${type.table}` +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '')
      );
    });
}

/** SQL returning the chain head `{ seq, row_hash }` (no row when the chain is empty) of the `present` types. */
export function headQuerySql(present: readonly RecordType[]): string {
  const branches = present.map(
    (t) => `SELECT * FROM (SELECT seq, row_hash FROM ${t.table} ORDER BY seq DESC LIMIT 1)`,
  );
  return `${branches.join(' UNION ALL ')} ORDER BY seq DESC LIMIT 1`;
}
