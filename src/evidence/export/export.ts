/**
 * `evidence export`: streams chained records (in seq order, constant memory via `.iterate()`) to CSV, JSON or JSONL,
 * from one consistent snapshot, and writes a `.sha256` sidecar with the file's SHA-256 and the chain head. Every
 * record carries `seq`, `prev_hash`, `row_hash` and every canonical field, so each row's hash can be re-computed
 * from the export alone (docs/evidence.md). CSV cells that a spreadsheet would run as a formula are neutralised.
 * A large CSV export is formatted by two worker threads (export-split.ts), to the same bytes. A failed or
 * interrupted export (Ctrl-C) leaves no file behind.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { CredlineError, usageError } from '../../errors/credline-error.js';
import { pathErrorText } from '../../errors/fs-error-text.js';
import type { FieldValue } from '../chain/canonical.js';
import { chainTypesOf, iterateChainRows } from '../chain/chain-rows.js';
import { openDatabase } from '../store/database.js';
import { abortOnInterrupt } from '../interrupt.js';
import { countRows, EXPORT_CACHE_KIB, writeCsvPart, type RowCounter } from './export-part.js';
import { writeTexts } from './export-sink.js';
import { splitPlan, writeSplitCsv } from './export-split.js';
import { headQuerySql } from '../chain/chain-sql.js';
import { toChainRecord, type ChainFilter, type ChainRecord } from '../chain/record-types.js';
import type { ChainHead } from '../types.js';
import type { StepProgress } from '../../progress/index.js';

export { CSV_COLUMNS, neutraliseFormula } from './export-csv.js';

export type ExportFormat = 'csv' | 'json' | 'jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'jsonl'];

export interface ExportOptions extends ChainFilter {
  format: ExportFormat;
  /** The file to write; `<out>.sha256` is written next to it. */
  out: string;
  /**
   * On a machine with two cores or more, a CSV export of SPLIT_SIZING.minSeqs seqs or more is formatted by two
   * worker threads (export-split.ts); false keeps it on the calling thread. The bytes are the same. Default true.
   */
  parallel?: boolean;
  /** Called when SIGINT, SIGTERM or SIGHUP stops the export, before it removes what it wrote. */
  onInterrupt?: (signal: NodeJS.Signals) => void;
  /**
   * Hears `records` written so far every few thousand records; the total is given when the export takes every
   * record of a seq range (no batch, time or type filter): the records up to the snapshot's head.
   */
  onProgress?: StepProgress;
}

export interface ExportSummary {
  out: string;
  sidecar: string;
  records: number;
  sha256: string;
  /** The store's chain head in the exported snapshot. */
  head: ChainHead;
}

/**
 * Exports the evidence in `file`.
 *
 * @example
 * await exportEvidence('credline.db', { format: 'csv', out: 'B1.csv', batchId: 'B1' }); // and B1.csv.sha256
 */
export async function exportEvidence(file: string, options: ExportOptions): Promise<ExportSummary> {
  const db = openDatabase(file, { readonly: true });
  try {
    db.pragma(`cache_size = -${EXPORT_CACHE_KIB}`);
    return await abortOnInterrupt((signal) => exportFrom(file, db, options, signal), options.onInterrupt);
  } finally {
    db.close();
  }
}

async function exportFrom(
  file: string,
  db: Database.Database,
  options: ExportOptions,
  signal: AbortSignal,
): Promise<ExportSummary> {
  db.exec('BEGIN'); // one snapshot: the head and the rows agree even while a station writes
  try {
    const headRow = db.prepare(headQuerySql(chainTypesOf(db))).get() as
      { seq: number; row_hash: string } | undefined;
    const head: ChainHead = headRow
      ? { seq: headRow.seq, hash: headRow.row_hash }
      : { seq: 0, hash: '0'.repeat(64) };
    const hash = createHash('sha256');
    let records: number;
    let fd: number | undefined;
    const openOut = (): number => (fd = openSync(options.out, 'w', 0o600));
    try {
      records = await writeExport({ file, db, options, head, openOut, hash, signal });
      closeSync(fd as number);
    } catch (error) {
      if (fd !== undefined) closeQuietly(fd);
      removePartial(options.out); // a half-written export must not pass for a whole one
      if (error instanceof CredlineError) throw error;
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

interface ExportWork {
  file: string;
  db: Database.Database;
  options: ExportOptions;
  head: ChainHead;
  /** Creates (or empties) the output file and returns its descriptor; called once. */
  openOut: () => number;
  hash: Hash;
  signal: AbortSignal;
}

/**
 * Writes the records of the snapshot to `fd`, hashing every byte; resolves to how many. A large CSV export is
 * split over two threads (export-split.ts); JSON and JSONL are written on this thread.
 */
async function writeExport({ file, db, options, head, openOut, hash, signal }: ExportWork): Promise<number> {
  const rows = chainFilterOf(options);
  const onRecords = progressOf(options, head);
  onRecords?.(0);
  if (options.format === 'csv') {
    const parallel = options.parallel !== false && availableParallelism() >= 2;
    const pieces = parallel ? splitPlan(rows, head) : undefined;
    if (pieces) return writeSplitCsv({ file, head, pieces, openOut, hash, signal, onRecords });
    return writeCsvPart(db, rows, openOut(), { hash, signal }, onRecords);
  }
  const filter = {
    ...(options.batchId === undefined ? {} : { batchId: options.batchId }),
    ...(options.since === undefined ? {} : { since: options.since }),
  };
  const counter: RowCounter = { records: 0, onRecords };
  const chain = map(countRows(iterateChainRows(db, rows), counter), toChainRecord);
  await writeTexts(jsonChunks(chain, options.format, head, filter), openOut(), { hash, signal });
  return counter.records;
}

/** The export's progress as records written, with the total when it is known from the head alone. */
function progressOf(options: ExportOptions, head: ChainHead): ((records: number) => void) | undefined {
  const report = options.onProgress;
  if (report === undefined) return undefined;
  const whole = options.batchId === undefined && options.since === undefined && options.types === undefined;
  const low = Math.max(options.fromSeq ?? 1, 1);
  const total = whole ? Math.max(0, Math.min(options.toSeq ?? head.seq, head.seq) - low + 1) : undefined;
  return (records) => report('records', records, total);
}

/** The chain filter of the options (the properties a worker thread needs, nothing else). */
function chainFilterOf(options: ExportOptions): ChainFilter {
  const { batchId, since, types, fromSeq, toSeq } = options;
  return Object.fromEntries(
    Object.entries({ batchId, since, types, fromSeq, toSeq }).filter(([, value]) => value !== undefined),
  );
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
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
