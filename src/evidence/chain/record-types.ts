/**
 * The chained record types, each with its column table: the one place a chained row's fields are described. From
 * it come the CREATE TABLE text (chain-sql.ts, migrations.ts), the canonical field order and kinds (every field is
 * hashed in this order, `seq` first), the stored row's and the returned record's types (types.ts), the names a
 * record is read by, and the export columns (ALL_FIELDS). Every chained table also has `seq` (shared by all
 * tables: one chain, one head), `prev_hash` and `row_hash`.
 *
 * Adding a column: append one `column(…, { since: N })` line to its table and a migration N that adds it
 * (migrations.ts: `addedColumnsSql(N)`); rows written before keep their bytes and hashes (canonical.ts). Never
 * change, reorder or remove a shipped line: every hash depends on it (a new type tag `…v2` is the way to change one).
 */
import type { FieldKind, FieldValue } from './canonical.js';
import { camelCase, column, type Column, type RecordOf, type RowOf } from './columns.js';
import { sealedTablesAt } from './owned-tables.js';

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** The schema version that added the column to its table (0: it came with the table). */
  readonly since: number;
}

export interface RecordType<Cs extends readonly Column[] = readonly Column[]> {
  /** The type tag written first in the canonical bytes, e.g. `credline.event.v1`. */
  readonly tag: string;
  /** Short name used in exports and reports. */
  readonly name: 'station' | 'line-key' | 'batch' | 'event' | 'rejection' | 'compliance-seal' | 'batch-terms';
  readonly table: string;
  /** The evidence schema version (migrations.ts) that created the type's table: older files have no such table. */
  readonly sinceVersion: number;
  /** The column table, after `seq`. */
  readonly columns: Cs;
  /** Table constraints, after the columns in CREATE TABLE. */
  readonly tableConstraints: readonly string[];
  /** Canonical field order: `seq`, the table's first columns, then the columns added later (by version). */
  readonly fields: readonly FieldSpec[];
  /** How many of `fields` every record's canonical bytes hold (the rest: only up to the last non-NULL one). */
  readonly baseFields: number;
}

/**
 * A record type from its column table: its canonical fields are `seq`, the columns it came with, then the columns
 * added later (by the version that added them).
 */
export function recordType<const Cs extends readonly Column[]>(
  definition: Omit<RecordType<Cs>, 'fields' | 'baseFields' | 'tableConstraints'> & {
    tableConstraints?: readonly string[];
  },
): RecordType<Cs> {
  const base = definition.columns.filter((c) => c.since === 0);
  const added = definition.columns.filter((c) => c.since > 0).sort((a, b) => a.since - b.since);
  const fields = [{ name: 'seq', kind: 'int' as const, since: 0 }, ...base, ...added].map(
    ({ name, kind, since }) => ({ name, kind, since }),
  );
  return { tableConstraints: [], ...definition, fields, baseFields: 1 + base.length };
}

export const STATION_TYPE = recordType({
  tag: 'credline.station.v1',
  name: 'station',
  table: 'stations',
  sinceVersion: 1,
  columns: [
    column('station_id', 'text', "NOT NULL UNIQUE CHECK (station_id <> '')"),
    column('label', 'text', "CHECK (label <> '')"),
    column('recorded_at', 'time', 'NOT NULL'),
  ],
});

export const LINE_KEY_TYPE = recordType({
  tag: 'credline.line-key.v1',
  name: 'line-key',
  table: 'line_keys',
  sinceVersion: 1,
  columns: [
    column('key_id', 'text', 'NOT NULL UNIQUE CHECK (length(key_id) = 16)'),
    column('label', 'text', "CHECK (label <> '')"),
    column('recorded_at', 'time', 'NOT NULL'),
  ],
});

export const BATCH_TYPE = recordType({
  tag: 'credline.batch.v1',
  name: 'batch',
  table: 'batches',
  sinceVersion: 1,
  columns: [
    column('batch_id', 'text', "NOT NULL UNIQUE CHECK (batch_id <> '')"),
    column('product_type', 'text', "NOT NULL CHECK (product_type <> '')"),
    column('profile_id', 'text', "NOT NULL CHECK (profile_id <> '')"),
    column('profile_revision', 'int', 'NOT NULL'),
    /** Lowercase hex SHA-256 of the canonical profile (src/profiles). */
    column('profile_hash', 'text', 'NOT NULL CHECK (length(profile_hash) = 64)'),
    column('firmware', 'text', "CHECK (firmware <> '')"),
    /** End of the defined support period. */
    column('support_end_date', 'date', 'NOT NULL'),
    /** Keep the evidence through this day: the later of 10 years from the batch and the support period end. */
    column('retention_until', 'date', 'NOT NULL'),
    column('recorded_at', 'time', 'NOT NULL'),
  ],
});

export const EVENT_TYPE = recordType({
  tag: 'credline.event.v1',
  name: 'event',
  table: 'provisioning_events',
  sinceVersion: 1,
  columns: [
    column('kind', 'text', "NOT NULL CHECK (kind IN ('INTENT', 'RESULT'))"),
    /** For a RESULT, the intent it closes. */
    column('intent_seq', 'int', 'REFERENCES provisioning_events (seq)'),
    column('batch_id', 'text', 'NOT NULL REFERENCES batches (batch_id)'),
    /** The canonical serial. */
    column('serial', 'text', "NOT NULL CHECK (serial <> '')"),
    column('key_id', 'text', 'NOT NULL REFERENCES line_keys (key_id)'),
    column('scheme_version', 'int', 'NOT NULL'),
    column('profile_id', 'text', 'NOT NULL'),
    column('profile_revision', 'int', 'NOT NULL'),
    column('profile_hash', 'text', 'NOT NULL'),
    /** The accepted attempt; NULL for a unit refused before a password was chosen. */
    column('attempt', 'int', 'CHECK (attempt >= 0)'),
    /** The password fingerprint: never the password. */
    column('fingerprint', 'text', 'CHECK (length(fingerprint) = 64)'),
    column('zxcvbn_score', 'int', 'CHECK (zxcvbn_score BETWEEN 0 AND 4)'),
    column('zxcvbn_log10_guesses', 'real3', ''),
    column('entropy_bits', 'real3', ''),
    column('result', 'text', "CHECK (result IN ('PASS', 'FAIL', 'ABORTED'))"),
    /** True only when the password was written and read back (or the verifier checked). PASS requires it. */
    column('readback_verified', 'int', 'CHECK (readback_verified IN (0, 1))', { flag: true }),
    column('reason_code', 'text', "CHECK (reason_code <> '')"),
    column('reason_text', 'text', "CHECK (reason_text <> '')"),
    column('reprovision_reason', 'text', "CHECK (reprovision_reason <> '')"),
    column('port', 'text', "CHECK (port <> '')"),
    column('station_id', 'text', 'NOT NULL REFERENCES stations (station_id)'),
    column('operator', 'text', "CHECK (operator <> '')"),
    column('started_at', 'time', 'NOT NULL'),
    column('finished_at', 'time', ''),
    column('recorded_at', 'time', 'NOT NULL'),
  ],
  tableConstraints: [
    "CHECK ((kind = 'INTENT') = (intent_seq IS NULL))",
    "CHECK ((kind = 'INTENT') = (result IS NULL))",
    "CHECK (result IS NOT 'PASS' OR readback_verified = 1)",
  ],
});

export const REJECTION_TYPE = recordType({
  tag: 'credline.rejection.v1',
  name: 'rejection',
  table: 'policy_rejections',
  sinceVersion: 1,
  columns: [
    column('batch_id', 'text', 'NOT NULL REFERENCES batches (batch_id)'),
    column('serial', 'text', "NOT NULL CHECK (serial <> '')"),
    column('key_id', 'text', 'NOT NULL REFERENCES line_keys (key_id)'),
    column('scheme_version', 'int', 'NOT NULL'),
    column('attempt', 'int', 'NOT NULL CHECK (attempt >= 0)'),
    /** The policy rule that rejected the candidate (e.g. `zxcvbn-score`). */
    column('rule', 'text', "NOT NULL CHECK (rule <> '')"),
    /** Free text about the rule: never the password or any part of it. */
    column('detail', 'text', "CHECK (detail <> '')"),
    column('port', 'text', "CHECK (port <> '')"),
    column('station_id', 'text', 'NOT NULL REFERENCES stations (station_id)'),
    column('operator', 'text', "CHECK (operator <> '')"),
    column('recorded_at', 'time', 'NOT NULL'),
  ],
});

/**
 * A row another module keeps in the evidence database (src/compliance's tables) sealed into the chain:
 * `sealed_digest` is the SHA-256 of the row's canonical bytes (seals.ts), so an edit of the row, which its triggers
 * alone cannot stop, breaks the seal, and a re-written seal breaks the chain.
 */
export const COMPLIANCE_SEAL_TYPE = recordType({
  tag: 'credline.compliance-seal.v1',
  name: 'compliance-seal',
  table: 'compliance_seals',
  sinceVersion: 5,
  columns: [
    column(
      'sealed_table',
      'text',
      `NOT NULL CHECK (sealed_table IN (${sealedTablesAt(5)
        .map((t) => `'${t.table}'`)
        .join(', ')}))` as `NOT NULL CHECK (sealed_table IN (${string}))`,
    ),
    column('sealed_key', 'text', "NOT NULL CHECK (sealed_key <> '')"),
    column('sealed_digest', 'text', 'NOT NULL CHECK (length(sealed_digest) = 64)'),
    column('recorded_at', 'time', 'NOT NULL'),
  ],
  tableConstraints: ['UNIQUE (sealed_table, sealed_key)'],
});

/**
 * What a batch is bound to besides its profile (store/batch-terms.ts): the line key its passwords are derived under
 * (and whether that is a published test key or a key marked demo), the password alphabet and length, and the end of
 * its support period. The first record binds the batch; a later one only extends the support period.
 */
export const BATCH_TERMS_TYPE = recordType({
  tag: 'credline.batch-terms.v1',
  name: 'batch-terms',
  table: 'batch_terms',
  sinceVersion: 8,
  columns: [
    column('batch_id', 'text', 'NOT NULL REFERENCES batches (batch_id)'),
    column('key_id', 'text', 'NOT NULL REFERENCES line_keys (key_id)'),
    column('test_key', 'int', 'NOT NULL CHECK (test_key IN (0, 1))', { flag: true }),
    /** The password alphabet's symbols, in order. */
    column('alphabet', 'text', "NOT NULL CHECK (alphabet <> '')"),
    column('password_length', 'int', 'NOT NULL CHECK (password_length >= 1)'),
    /** The support period's end as of this record (the latest record is in force). */
    column('support_end_date', 'date', 'NOT NULL'),
    column('retention_until', 'date', 'NOT NULL'),
    column('recorded_at', 'time', 'NOT NULL'),
  ],
});

type ColumnsOf<T> = T extends RecordType<infer Cs> ? Cs : never;

/** The columns every chained row has besides its table's: its place in the chain. */
interface Chained {
  seq: number;
  prev_hash: string;
  row_hash: string;
}

/** A stored row of a chained type (snake_case, as SQLite returns it). */
export type ChainedRowOf<T extends RecordType> = RowOf<ColumnsOf<T>> & Chained;

/** The record the library returns for a row of a chained type (camelCase; flags as booleans). */
export type ChainedRecordOf<T extends RecordType> = RecordOf<ColumnsOf<T>> & {
  seq: number;
  prevHash: string;
  rowHash: string;
};

/**
 * Reads a stored row (by column name) as its record. One function per type, built once: every record of a type is
 * a copy of one template (so all share one object shape, whichever row they come from), its values set by name.
 *
 * @example const toEventRecord = recordReader(EVENT_TYPE); toEventRecord(db.prepare(sql).get());
 */
export function recordReader<T extends RecordType>(
  type: T,
): (row: Readonly<Record<string, unknown>>) => ChainedRecordOf<T> {
  const names = ['seq', 'prev_hash', 'row_hash', ...type.columns.map((c) => c.name)];
  const camel = names.map(camelCase);
  const flags = names.map((name) => type.columns.some((c) => c.name === name && c.flag));
  const template: Record<string, unknown> = Object.fromEntries(camel.map((name) => [name, null]));
  return (row) => {
    const record = { ...template };
    for (let i = 0; i < names.length; i++) {
      const value = row[names[i] as string] ?? null;
      record[camel[i] as string] = flags[i] && value !== null ? value === 1 : value;
    }
    return record as ChainedRecordOf<T>;
  };
}

/** The kinds of a type's fields, in canonical order. */
export function kindsOf(type: RecordType): readonly FieldKind[] {
  return KINDS.get(type) ?? type.fields.map((f) => f.kind);
}

/**
 * The kinds of the fields a record's canonical bytes hold: every field, less the trailing NULL ones that were added
 * to the type after its first version (so a row written before a column existed keeps its bytes and hash).
 */
export function encodedKinds(type: RecordType, values: readonly FieldValue[]): readonly FieldKind[] {
  const kinds = kindsOf(type);
  let count = kinds.length;
  while (count > type.baseFields && (values[count - 1] ?? null) === null) count--;
  return count === kinds.length ? kinds : kinds.slice(0, count);
}

/** Where each field of a type sits in its canonical values (`seq` at 0): rows are read and built by name. */
export function fieldIndexes<T extends RecordType>(
  type: T,
): Readonly<Record<'seq' | ColumnsOf<T>[number]['name'], number>> {
  return Object.fromEntries(type.fields.map((f, i) => [f.name, i])) as Record<
    'seq' | ColumnsOf<T>[number]['name'],
    number
  >;
}

/** Every chained record type, in the order their tables were created. */
export const RECORD_TYPES: readonly RecordType[] = [
  STATION_TYPE,
  LINE_KEY_TYPE,
  BATCH_TYPE,
  EVENT_TYPE,
  REJECTION_TYPE,
  COMPLIANCE_SEAL_TYPE,
  BATCH_TERMS_TYPE,
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

/** Where each column of CHAIN_COLUMNS sits in a raw chain row. */
export const CHAIN_COLUMN_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  CHAIN_COLUMNS.map((name, i) => [name, i]),
);

const RECORD_TYPE_AT = CHAIN_COLUMN_INDEX['record_type'] as number;
const PREV_HASH_AT = CHAIN_COLUMN_INDEX['prev_hash'] as number;
const ROW_HASH_AT = CHAIN_COLUMN_INDEX['row_hash'] as number;

const RAW_INDEXES = new Map(
  RECORD_TYPES.map((t) => [t, t.fields.map((f) => CHAIN_COLUMN_INDEX[f.name] as number)] as const),
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
  const type = BY_TAG.get(raw[RECORD_TYPE_AT] as string) as RecordType;
  const values = (RAW_INDEXES.get(type) as number[]).map((i) => raw[i] ?? null);
  return {
    type,
    seq: values[0] as number,
    prevHash: raw[PREV_HASH_AT] as string,
    rowHash: raw[ROW_HASH_AT] as string,
    values,
  };
}

/** A field of a chain record, by name (null when its type has no such field). */
export function fieldOf(record: ChainRecord, name: string): FieldValue {
  const at = record.type.fields.findIndex((field) => field.name === name);
  return at < 0 ? null : (record.values[at] ?? null);
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
