/**
 * The CSV text of part of an export: the chained rows a filter (for a split export, a seq range) keeps, read from an
 * open connection inside the caller's read transaction. A one-thread export writes it all to the output file
 * (writeCsvPart); a split export's workers (export-part-thread.ts) format one piece at a time (csvPartTexts).
 */
import type Database from 'better-sqlite3';
import { iterateChainRows } from '../chain/chain-rows.js';
import { csvHeader, csvRecords } from './export-csv.js';
import { writeTexts, type WriterOptions } from './export-sink.js';
import type { ChainFilter } from '../chain/record-types.js';

/** Page cache of an export's connections (KiB): a scan in seq order reads each page once, so little is needed. */
export const EXPORT_CACHE_KIB = 1024;

/** How often a one-thread export reports the records it has formatted. */
const PROGRESS_RECORDS = 4096;

/** Counts rows as they pass; `onRecords` (if any) hears the count every few thousand rows. */
export interface RowCounter {
  records: number;
  onRecords?: ((records: number) => void) | undefined;
}

/**
 * The CSV texts of the rows of `filter` (after the header when `header`), counting the rows in `counter.records`.
 *
 * @example
 * const counter = { records: 0 };
 * const text = [...csvPartTexts(db, { toSeq: 4096 }, true, counter)].join('');
 */
export function* csvPartTexts(
  db: Database.Database,
  filter: ChainFilter,
  header: boolean,
  counter: RowCounter,
): Generator<string> {
  if (header) yield csvHeader();
  yield* csvRecords(countRows(iterateChainRows(db, filter), counter));
}

/**
 * Writes the rows of `filter` as CSV, after the header, at the current offset of `fd`; resolves to how many rows.
 *
 * @example
 * db.exec('BEGIN');
 * const records = await writeCsvPart(db, { batchId: 'B1' }, fd, { hash });
 */
export async function writeCsvPart(
  db: Database.Database,
  filter: ChainFilter,
  fd: number,
  options: WriterOptions,
  onRecords?: (records: number) => void,
): Promise<number> {
  const counter: RowCounter = { records: 0, onRecords };
  await writeTexts(csvPartTexts(db, filter, true, counter), fd, options);
  return counter.records;
}

/** Passes `rows` through, counting them in `counter.records`. */
export function* countRows<T>(rows: Iterable<T>, counter: RowCounter): Generator<T> {
  for (const row of rows) {
    counter.records++;
    if (counter.records % PROGRESS_RECORDS === 0) counter.onRecords?.(counter.records);
    yield row;
  }
}
