/**
 * The SQL of the chained tables, derived from their column tables (record-types.ts): the CREATE TABLE text of a
 * type's migration, the ALTER TABLE of a column added later, and the queries that read the chain and its head.
 */
import { columnSql } from './columns.js';
import {
  ALL_FIELDS,
  RECORD_TYPES,
  recordTypesAt,
  type ChainFilter,
  type FieldSpec,
  type RecordType,
} from './record-types.js';

/** The columns every chained table begins with, before its own. */
const CHAIN_COLUMN_SQL = [
  'seq INTEGER PRIMARY KEY CHECK (seq >= 1)',
  'prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64)',
  'row_hash TEXT NOT NULL CHECK (length(row_hash) = 64)',
];

/**
 * The CREATE TABLE statement of a type's table as its migration (`type.sinceVersion`) creates it: the chain
 * columns, the columns it came with, its table constraints.
 *
 * @example createTableSql(LINE_KEY_TYPE); // 'CREATE TABLE line_keys (\n  seq INTEGER PRIMARY KEY …\n) STRICT'
 */
export function createTableSql(type: RecordType): string {
  const lines = [
    ...CHAIN_COLUMN_SQL,
    ...type.columns.filter((c) => c.since === 0).map(columnSql),
    ...type.tableConstraints,
  ];
  return `CREATE TABLE ${type.table} (\n${lines.map((line) => `  ${line}`).join(',\n')}\n) STRICT`;
}

/**
 * The statements of migration `version` that add the columns it introduces to existing chained tables.
 *
 * @example addedColumnsSql(6); // 'ALTER TABLE provisioning_events ADD COLUMN firmware_version TEXT …;'
 */
export function addedColumnsSql(version: number): string {
  return RECORD_TYPES.flatMap((type) =>
    type.columns
      .filter((c) => c.since === version)
      .map((c) => `ALTER TABLE ${type.table} ADD COLUMN ${columnSql(c)};`),
  ).join('\n');
}

/**
 * SQL that reads the whole chain of a store at schema `version` in seq order, one row per record with columns
 * `record_type`, `prev_hash`, `row_hash` and every field of ALL_FIELDS (NULL where the type has no such field, or
 * the file no such column yet). SQLite merges the per-table rowid orders, so the query streams in constant memory.
 * Named parameters: `@batchId`, `@since`, `@fromSeq`, `@toSeq`.
 */
export function chainQuerySql(version: number, filter: ChainFilter = {}): string {
  return `${chainBranchSql(version, filter).join('\nUNION ALL\n')}\nORDER BY seq`;
}

/**
 * The branches of chainQuerySql, one per record type the file has a table for (recordTypesAt) that the filter
 * keeps, in RECORD_TYPES order, each ordered by seq: chain-rows.ts merges them in JavaScript.
 */
export function chainBranchSql(version: number, filter: ChainFilter = {}): string[] {
  const types = recordTypesAt(version).filter((t) => !filter.types || filter.types.includes(t.name));
  return types
    .filter((t) => filter.batchId === undefined || t.fields.some((x) => x.name === 'batch_id'))
    .map((type) => {
      const own = new Set(storedFields(type, version).map((x) => x.name));
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

/** The fields of a type a store at schema `version` has columns for (a column added later is missing before). */
export function storedFields(type: RecordType, version: number): readonly FieldSpec[] {
  return type.fields.filter((field) => field.since <= version);
}

/** SQL returning the chain head `{ seq, row_hash }` (no row when the chain is empty) of the `present` types. */
export function headQuerySql(present: readonly RecordType[]): string {
  const branches = present.map(
    (t) => `SELECT * FROM (SELECT seq, row_hash FROM ${t.table} ORDER BY seq DESC LIMIT 1)`,
  );
  return `${branches.join(' UNION ALL ')} ORDER BY seq DESC LIMIT 1`;
}
