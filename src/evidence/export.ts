/**
 * `evidence export`: streams chained records (in seq order, constant memory via `.iterate()`) to CSV, JSON or JSONL,
 * from one consistent snapshot, and writes a `.sha256` sidecar with the file's SHA-256 and the chain head. Every
 * record carries `seq`, `prev_hash`, `row_hash` and every canonical field, so each row's hash can be re-computed
 * from the export alone (docs/evidence.md). CSV cells that a spreadsheet would run as a formula are neutralised.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type Database from 'better-sqlite3';
import { usageError } from '../errors/credline-error.js';
import { canonicalText, type FieldValue } from './canonical.js';
import { openDatabase } from './database.js';
import {
  ALL_FIELDS,
  chainQuerySql,
  headQuerySql,
  RECORD_TYPES,
  toChainRecord,
  type ChainFilter,
  type ChainRecord,
  type FieldSpec,
} from './record-types.js';
import type { ChainHead } from './types.js';

export type ExportFormat = 'csv' | 'json' | 'jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'jsonl'];

export interface ExportOptions extends ChainFilter {
  format: ExportFormat;
  /** The file to write; `<out>.sha256` is written next to it. */
  out: string;
}

export interface ExportSummary {
  out: string;
  sidecar: string;
  records: number;
  sha256: string;
  /** The store's chain head in the exported snapshot. */
  head: ChainHead;
}

/** The CSV header: record type, chain columns, then every canonical field (empty where a type has none). */
export const CSV_COLUMNS = [
  'record_type',
  'seq',
  'prev_hash',
  'row_hash',
  ...ALL_FIELDS.slice(1).map((f) => f.name),
];

const WRITE_CHUNK_BYTES = 256 * 1024;

/**
 * Exports the evidence in `file`.
 *
 * @example
 * await exportEvidence('credline.db', { format: 'csv', out: 'B1.csv', batchId: 'B1' }); // and B1.csv.sha256
 */
export async function exportEvidence(file: string, options: ExportOptions): Promise<ExportSummary> {
  const db = openDatabase(file, { readonly: true });
  try {
    return await exportFrom(db, options);
  } finally {
    db.close();
  }
}

async function exportFrom(db: Database.Database, options: ExportOptions): Promise<ExportSummary> {
  db.exec('BEGIN'); // one snapshot: the head and the rows agree even while a station writes
  try {
    const headRow = db.prepare(headQuerySql()).get() as { seq: number; row_hash: string } | undefined;
    const head: ChainHead = headRow
      ? { seq: headRow.seq, hash: headRow.row_hash }
      : { seq: 0, hash: '0'.repeat(64) };
    const statement = db.prepare(chainQuerySql(options));
    const filter = {
      ...(options.batchId === undefined ? {} : { batchId: options.batchId }),
      ...(options.since === undefined ? {} : { since: options.since }),
    };
    const rows = statement.raw(true).iterate(filter) as IterableIterator<FieldValue[]>;
    let records = 0;
    const counted = function* (): Generator<ChainRecord> {
      for (const row of rows) {
        records++;
        yield toChainRecord(row);
      }
    };
    const hash = createHash('sha256');
    // Hashes what is written, and gathers the small per-row chunks into ~256 KiB writes.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < WRITE_CHUNK_BYTES) return done();
        const out = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        done(null, out);
      },
      flush(done) {
        done(null, pendingBytes > 0 ? Buffer.concat(pending) : undefined);
      },
    });
    const sink = createWriteStream(options.out, { mode: 0o600 });
    try {
      if (options.format === 'csv') {
        const csv = stringify({ header: true, columns: CSV_COLUMNS });
        await pipeline(Readable.from(map(counted(), toCsvRow)), csv, tap, sink);
      } else {
        await pipeline(Readable.from(jsonChunks(counted(), options.format, head, filter)), tap, sink);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw usageError(
        'EVIDENCE_EXPORT',
        `cannot write ${options.out}: ${code ?? (error as Error).message}`,
        error,
      );
    }
    const sha256 = hash.digest('hex');
    const sidecar = `${options.out}.sha256`;
    writeFileSync(sidecar, sidecarText(sha256, options, records, head), { mode: 0o600 });
    return { out: options.out, sidecar, records, sha256, head };
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}

/**
 * The sidecar: a `sha256sum -c` line, then comment lines (`#`, ignored by sha256sum) with the chain head.
 */
function sidecarText(sha256: string, options: ExportOptions, records: number, head: ChainHead): string {
  const filter = [
    options.batchId === undefined ? undefined : `batch=${options.batchId}`,
    options.since === undefined ? undefined : `since=${options.since}`,
  ].filter((x) => x !== undefined);
  return (
    `${sha256}  ${basename(options.out)}\n` +
    `# credline evidence export format=${options.format} records=${records}` +
    (filter.length ? ` ${filter.join(' ')}` : '') +
    '\n' +
    `# chain head seq=${head.seq} hash=${head.hash}\n`
  );
}

/** Per type: for each CSV column after the chain columns, the index of that field in the record, or -1. */
const CSV_FIELD_INDEXES = new Map(
  RECORD_TYPES.map(
    (t) => [t, CSV_COLUMNS.slice(4).map((c) => t.fields.findIndex((f) => f.name === c))] as const,
  ),
);

/** CSV cells as canonical text; formula-looking cells get a leading apostrophe (and so does a leading one). */
function toCsvRow(record: ChainRecord): string[] {
  const { type, values } = record;
  const cells = [type.name, String(record.seq), record.prevHash, record.rowHash];
  for (const index of CSV_FIELD_INDEXES.get(type) as number[]) {
    const value = index < 0 ? null : (values[index] ?? null);
    if (value === null) {
      cells.push('');
      continue;
    }
    const text = canonicalText((type.fields[index] as FieldSpec).kind, value);
    cells.push(neutraliseFormula('text' in text ? text.text : String(value)));
  }
  return cells;
}

/**
 * Neutralises spreadsheet formula injection (OWASP CSV injection): a cell beginning with `= + - @`, TAB or CR is
 * prefixed with `'`; so is a cell that already begins with `'`, so that removing one leading `'` always restores
 * the stored text.
 *
 * @example neutraliseFormula('=HYPERLINK("x")'); // "'=HYPERLINK(\"x\")"
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r']/.test(cell) ? `'${cell}` : cell;
}

/** JSON objects per record: type, chain columns, then the type's own fields in canonical order. */
function toJsonRecord(record: ChainRecord): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {
    record_type: record.type.name,
    seq: record.seq,
    prev_hash: record.prevHash,
    row_hash: record.rowHash,
  };
  record.type.fields.forEach((field, i) => {
    if (i > 0) out[field.name] = record.values[i] ?? null;
  });
  return out;
}

function* jsonChunks(
  rows: Iterable<ChainRecord>,
  format: 'json' | 'jsonl',
  head: ChainHead,
  filter: ChainFilter,
): Generator<string> {
  const lines: string[] = [];
  let first = true;
  if (format === 'json') {
    const header = { format: 'credline-evidence-export', version: 1, head, filter };
    yield `${JSON.stringify(header).slice(0, -1)},"records":[\n`;
  }
  for (const row of rows) {
    const json = JSON.stringify(toJsonRecord(row));
    lines.push(format === 'json' && !first ? `,${json}` : json);
    first = false;
    if (lines.length === 1000) yield `${lines.splice(0).join('\n')}\n`;
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
  if (format === 'json') yield ']}\n';
}

function* map<A, B>(items: Iterable<A>, fn: (a: A) => B): Generator<B> {
  for (const item of items) yield fn(item);
}
