/**
 * The central copy of the chained records in SQL: the column list (the local store's CHAIN_COLUMNS plus the
 * station the chain came from), each field's PostgreSQL type, and the row-hash expression that recomputes
 * docs/evidence.md's canonical encoding inside the server, so that ingest checks every row without trusting the
 * client. The expression is generated from the record types; a record type never changes (a new tag is a new
 * type), so the generated text of a shipped migration never changes either.
 */
import { ALL_FIELDS, CHAIN_COLUMNS, RECORD_TYPES, type FieldKind } from '../evidence/index.js';

/** The schema every central object lives in. */
export const SCHEMA = 'credline';

/** The column naming the station whose chain a row belongs to (`station_id` is a field of some record types). */
export const ORIGIN = 'origin_station';

/** Columns of credline.chain_records in the order sync sends them: the origin, then CHAIN_COLUMNS. */
export const CENTRAL_CHAIN_COLUMNS: readonly string[] = [ORIGIN, ...CHAIN_COLUMNS];

const PG_TYPES: Record<FieldKind, string> = {
  text: 'text',
  int: 'bigint',
  real3: 'numeric(24,3)',
  time: 'text',
  date: 'text',
};

export const PG_TYPE_OF: ReadonlyMap<string, string> = new Map([
  ['record_type', 'text'],
  ['prev_hash', 'text'],
  ['row_hash', 'text'],
  ...ALL_FIELDS.map((f) => [f.name, PG_TYPES[f.kind]] as const),
]);

/** Column definitions of chain_records (NOT NULL where every record type has the column). */
export function chainColumnsDdl(): string {
  const fields = ALL_FIELDS.map(
    (f) => `  ${f.name} ${PG_TYPES[f.kind]}${f.name === 'seq' ? ' NOT NULL' : ''}`,
  );
  return [
    `  ${ORIGIN} text NOT NULL`,
    "  record_type text NOT NULL CHECK (record_type LIKE 'credline.%')",
    "  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$')",
    "  row_hash text NOT NULL CHECK (row_hash ~ '^[0-9a-f]{64}$')",
    ...fields,
  ].join(',\n');
}

/**
 * SQL computing row_hash of the row aliased `alias` (lowercase hex), by its record_type: SHA-256 of prev_hash's
 * 32 bytes then the canonical fields (docs/evidence.md, "Canonical encoding": NULL is 0x00; a value is 0x01,
 * uint32be(UTF-8 length), its UTF-8 bytes; the database encoding is UTF8, so octet_length is the UTF-8 length).
 * Written out inline, not through a SQL function: the planner does not inline one that calls convert_to into an
 * IMMUTABLE context, and a function call per field costs ~5 µs. NULL for an unknown type.
 */
export function rowHashSql(alias: string): string {
  const branches = RECORD_TYPES.map((type) => {
    const fields = type.fields.map((f) => canonicalFieldSql(fieldText(alias, f.name, f.kind)));
    const tag = Buffer.concat([
      Buffer.from([1]),
      uint32be(Buffer.byteLength(type.tag)),
      Buffer.from(type.tag),
    ]);
    const bytes = [`decode(${alias}.prev_hash, 'hex')`, `'\\x${tag.toString('hex')}'::bytea`, ...fields];
    return `WHEN '${type.tag}' THEN encode(sha256(${bytes.join(' || ')}), 'hex')`;
  });
  return `CASE ${alias}.record_type ${branches.join(' ')} END`;
}

/** One field's canonical bytes (NULL 0x00; else 0x01, uint32be(UTF-8 length), the UTF-8 bytes). */
export function canonicalFieldSql(value: string): string {
  return (
    `CASE WHEN ${value} IS NULL THEN '\\x00'::bytea ` +
    `ELSE '\\x01'::bytea || int4send(octet_length(${value})) || convert_to(${value}, 'UTF8') END`
  );
}

export function uint32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function fieldText(alias: string, name: string, kind: FieldKind): string {
  return kind === 'int' || kind === 'real3' ? `${alias}.${name}::text` : `${alias}.${name}`;
}

/** The SQL list of the chain columns, each prefixed with `alias.` (for comparisons of whole rows). */
export function chainColumnList(alias: string): string {
  return CENTRAL_CHAIN_COLUMNS.map((c) => `${alias}.${c}`).join(', ');
}
