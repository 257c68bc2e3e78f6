/**
 * A chained record type's column table: one line per column, from which everything else about its rows is derived
 * (record-types.ts): the CREATE TABLE text of its migration, the canonical field order and kinds, the stored row's
 * and the returned record's TypeScript types, the names a record is read by, and the export columns.
 *
 * @example
 * const LINE_KEY_COLUMNS = [
 *   column('key_id', 'text', 'NOT NULL UNIQUE CHECK (length(key_id) = 16)'),
 *   column('label', 'text', "CHECK (label <> '')"),
 *   column('recorded_at', 'time', 'NOT NULL'),
 * ] as const;
 */
import type { FieldKind } from './canonical.js';

export interface Column<
  N extends string = string,
  K extends FieldKind = FieldKind,
  S extends string = string,
  F extends boolean = boolean,
> {
  readonly name: N;
  /** How the canonical encoding writes the value (canonical.ts). */
  readonly kind: K;
  /** The column's constraints after its SQL type, as CREATE TABLE writes them ('' for none). */
  readonly constraints: S;
  /** Stored as 0 or 1 and returned as a boolean. */
  readonly flag: F;
  /**
   * The schema version that added the column to an existing table (0: it came with the table). Such a column is
   * hashed after the table's first columns, and only when it or a column after it holds a value (canonical.ts).
   */
  readonly since: number;
}

/** SQLite's storage type for each canonical kind (times and dates are ISO-8601 text). */
export const SQL_TYPES: Readonly<Record<FieldKind, string>> = {
  text: 'TEXT',
  int: 'INTEGER',
  real3: 'REAL',
  time: 'TEXT',
  date: 'TEXT',
};

/**
 * One line of a column table.
 *
 * @example column('attempt', 'int', 'CHECK (attempt >= 0)'); // attempt INTEGER CHECK (attempt >= 0)
 * @example column('readback_verified', 'int', 'CHECK (readback_verified IN (0, 1))', { flag: true });
 * @example column('firmware_version', 'text', "CHECK (firmware_version <> '')", { since: 6 }); // added later
 */
export function column<const N extends string, const K extends FieldKind, const S extends string>(
  name: N,
  kind: K,
  constraints: S,
  options?: { since: number },
): Column<N, K, S, false>;
export function column<const N extends string, const K extends FieldKind, const S extends string>(
  name: N,
  kind: K,
  constraints: S,
  options: { flag: true },
): Column<N, K, S, true>;
export function column(
  name: string,
  kind: FieldKind,
  constraints: string,
  options: { flag?: boolean; since?: number } = {},
): Column {
  return { name, kind, constraints, flag: options.flag ?? false, since: options.since ?? 0 };
}

/** The column's definition in CREATE TABLE: `name TYPE constraints`. */
export function columnSql(c: Column): string {
  return `${c.name} ${SQL_TYPES[c.kind]}${c.constraints === '' ? '' : ` ${c.constraints}`}`;
}

/** `snake_case` → `camelCase`, as the record types spell the columns. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The quoted names of an `IN ('A', 'B')` list, as a union; anything else is plain text. */
type Quoted<L extends string> = L extends `'${infer A}', ${infer Rest}`
  ? A | Quoted<Rest>
  : L extends `'${infer A}'`
    ? A
    : string;

/** A text column's values: the names its CHECK (… IN (…)) allows, or any text. */
type TextOf<S extends string> = S extends `${string} IN (${infer L})${string}` ? Quoted<L> : string;

/** NULL is allowed unless the constraints say NOT NULL. */
type NullOf<S extends string> = S extends `${string}NOT NULL${string}` ? never : null;

type Value<C extends Column> =
  C extends Column<string, infer K, infer S, boolean>
    ? (K extends 'int' | 'real3' ? number : TextOf<S>) | NullOf<S>
    : never;

type RecordValue<C extends Column> =
  C extends Column<string, FieldKind, infer S, true> ? boolean | NullOf<S> : Value<C>;

/** A stored row of a column table, by column name (as better-sqlite3 returns it). */
export type RowOf<Cs extends readonly Column[]> = { [C in Cs[number] as C['name']]: Value<C> };

/** The record a row is returned as: camelCase names, flags as booleans. */
export type RecordOf<Cs extends readonly Column[]> = {
  [C in Cs[number] as CamelCase<C['name']>]: RecordValue<C>;
};
