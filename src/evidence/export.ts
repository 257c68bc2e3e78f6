/**
 * `evidence export`: streams chained records (in seq order, constant memory via `.iterate()`) to CSV, JSON or JSONL,
 * from one consistent snapshot, and writes a `.sha256` sidecar with the file's SHA-256 and the chain head. Every
 * record carries `seq`, `prev_hash`, `row_hash` and every canonical field, so each row's hash can be re-computed
 * from the export alone (docs/evidence.md). CSV cells that a spreadsheet would run as a formula are neutralised.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, unlinkSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import { usageError } from '../errors/credline-error.js';
import { pathErrorText } from '../errors/fs-error-text.js';
import { canonicalText, type FieldKind, type FieldValue } from './canonical.js';
import { chainTypesOf, iterateChainRows } from './chain-rows.js';
import { openDatabase } from './database.js';
import {
  ALL_FIELDS,
  headQuerySql,
  RECORD_TYPES,
  toChainRecord,
  type ChainFilter,
  type ChainRecord,
} from './record-types.js';
import type { ChainHead } from './types.js';
import { stringify as stringifySync } from 'csv-stringify/sync';

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
    const headRow = db.prepare(headQuerySql(chainTypesOf(db))).get() as
      { seq: number; row_hash: string } | undefined;
    const head: ChainHead = headRow
      ? { seq: headRow.seq, hash: headRow.row_hash }
      : { seq: 0, hash: '0'.repeat(64) };
    const filter = {
      ...(options.batchId === undefined ? {} : { batchId: options.batchId }),
      ...(options.since === undefined ? {} : { since: options.since }),
    };
    const rows = iterateChainRows(db, options);
    let records = 0;
    const counted = function* (): Generator<FieldValue[]> {
      for (const row of rows) {
        records++;
        yield row;
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
        await pipeline(Readable.from(csvChunks(counted())), tap, sink);
      } else {
        const chain = map(counted(), toChainRecord);
        await pipeline(Readable.from(jsonChunks(chain, options.format, head, filter)), tap, sink);
      }
    } catch (error) {
      removePartial(options.out); // a half-written export must not pass for a whole one
      throw usageError(
        'EVIDENCE_EXPORT',
        `cannot write ${options.out}: ${pathErrorText(error, options.out)}`,
        error,
      );
    }
    const sha256 = hash.digest('hex');
    const sidecar = `${options.out}.sha256`;
    try {
      writeFileSync(sidecar, sidecarText(sha256, options, records, head), { mode: 0o600 });
    } catch (error) {
      removePartial(sidecar);
      throw usageError('EVIDENCE_EXPORT', `cannot write ${sidecar}: ${pathErrorText(error, sidecar)}`, error);
    }
    return { out: options.out, sidecar, records, sha256, head };
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}

function removePartial(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created
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

/** The kind of each CSV column after the chain columns (the raw row holds it at index 4 + i). */
const CSV_FIELD_KINDS = ALL_FIELDS.slice(1).map((f) => f.kind);

const RECORD_NAMES = new Map(RECORD_TYPES.map((t) => [t.tag, t.name]));

/**
 * CSV cells of one raw chain row as canonical text; formula-looking cells get a leading apostrophe (and
 * so does a leading one). A column the record type does not have is NULL in the raw row, so empty here.
 */
function toCsvRow(raw: readonly FieldValue[]): string[] {
  const cells = [
    RECORD_NAMES.get(raw[0] as string) as string,
    String(raw[3]),
    raw[1] as string,
    raw[2] as string,
  ];
  for (let i = 0; i < CSV_FIELD_KINDS.length; i++) {
    const value = raw[4 + i] ?? null;
    if (value === null) {
      cells.push('');
      continue;
    }
    const kind = CSV_FIELD_KINDS[i] as FieldKind;
    if (kind === 'text' && typeof value === 'string') {
      cells.push(neutraliseFormula(value));
      continue;
    }
    const text = canonicalText(kind, value);
    cells.push(neutraliseFormula('text' in text ? text.text : String(value)));
  }
  return cells;
}

/** The first characters that make a spreadsheet run a cell (and the apostrophe itself): `= + - @` TAB CR `'`. */
const FORMULA_LEADS = new Set([..."=+-@\t\r'"].map((c) => c.charCodeAt(0)));

/**
 * Neutralises spreadsheet formula injection (OWASP CSV injection): a cell beginning with `= + - @`, TAB or CR is
 * prefixed with `'`; so is a cell that already begins with `'`, so that removing one leading `'` always restores
 * the stored text.
 *
 * @example neutraliseFormula('=HYPERLINK("x")'); // "'=HYPERLINK(\"x\")"
 */
export function neutraliseFormula(cell: string): string {
  return FORMULA_LEADS.has(cell.charCodeAt(0)) ? `'${cell}` : cell;
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

/** Rows formatted by csv-stringify in small batches: one stream chunk per batch instead of one per row. */
function* csvChunks(rows: Iterable<FieldValue[]>): Generator<string> {
  yield stringifySync([], { header: true, columns: CSV_COLUMNS });
  let batch: string[][] = [];
  for (const row of rows) {
    batch.push(toCsvRow(row));
    if (batch.length === CSV_BATCH_ROWS) {
      yield stringifySync(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield stringifySync(batch);
}

/** Small enough that a batch's rows die young (large batches cost more in garbage collection than they save). */
const CSV_BATCH_ROWS = 16;

function* map<A, B>(items: Iterable<A>, fn: (a: A) => B): Generator<B> {
  for (const item of items) yield fn(item);
}
