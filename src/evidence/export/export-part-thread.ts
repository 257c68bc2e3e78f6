/**
 * Worker-thread entry of a split CSV export (export-split.ts), a request thread: opens its own read-only connection
 * and read transaction, then formats each piece the main thread asks for and answers with its UTF-8 chunks, their
 * memory transferred, not copied. It never touches the output file; the main thread stops it when done.
 *
 * Before the first piece, it checks that its snapshot still holds the main thread's head row (same seq, same
 * row_hash): the snapshots then agree on every row up to the head (see export-split.ts for why).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { CredlineError, ExitCode } from '../../errors/credline-error.js';
import { iterateChainRows } from '../chain/chain-rows.js';
import { toChainRecord } from '../chain/record-types.js';
import { openDatabase } from '../store/database.js';
import { csvPartTexts, EXPORT_CACHE_KIB } from './export-part.js';
import { toPartError, type PartReply, type PartTask, type PartWorkerData } from './export-part-protocol.js';
import { SlabEncoder } from './export-sink.js';
import type { ChainHead } from '../types.js';

const { file, head } = workerData as PartWorkerData;
const port = parentPort as NonNullable<typeof parentPort>;
const encoder = new SlabEncoder();
/** The connection in its read transaction, or why it could not be opened on the right snapshot. */
let db: Database.Database | undefined;
let failure: unknown;

try {
  db = openDatabase(file, { readonly: true });
  db.pragma(`cache_size = -${EXPORT_CACHE_KIB}`);
  db.exec('BEGIN');
  assertHeadRow(db, file, head);
} catch (error) {
  failure = error;
}
port.on('message', (task: PartTask) => port.postMessage(...perform(task)));

/** The reply to a task, and the memory it transfers. */
function perform(task: PartTask): [PartReply, ArrayBuffer[]] {
  encoder.recycle(task.recycle);
  if (failure === undefined && db !== undefined) {
    try {
      const counter = { records: 0 };
      for (const text of csvPartTexts(db, task.filter, task.header, counter)) encoder.encode(text);
      const chunks = encoder.take();
      const reply: PartReply = { kind: 'piece', index: task.index, records: counter.records, chunks };
      return [reply, chunks.map((chunk) => chunk.buffer as ArrayBuffer)];
    } catch (error) {
      failure = error;
    }
  }
  return [{ kind: 'failed', error: toPartError(failure) }, []];
}

/** The row at `head.seq` must have `head.hash` in this snapshot too (else the file changed, or was replaced). */
function assertHeadRow(reader: Database.Database, path: string, expected: ChainHead): void {
  const rows = [...iterateChainRows(reader, { fromSeq: expected.seq, toSeq: expected.seq })];
  if (rows.some((row) => toChainRecord(row).rowHash === expected.hash)) return;
  throw new CredlineError(
    'EVIDENCE_EXPORT_CHANGED',
    `${path}: the chain up to seq ${expected.seq} changed while it was being exported (the file was replaced or ` +
      'edited); nothing was exported: run the export again, and verify the store (credline evidence verify)',
    { exitCode: ExitCode.failed },
  );
}
