/**
 * Worker-thread entry of a split CSV export (export-split.ts): opens its own read-only connection and read
 * transaction, then formats the pieces the main thread hands it, one after another, and sends each back as UTF-8
 * chunks whose memory is transferred, not copied, until told to end. It never touches the output file.
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
let db: Database.Database | undefined;
const encoder = new SlabEncoder();

try {
  db = openDatabase(file, { readonly: true });
  db.pragma(`cache_size = -${EXPORT_CACHE_KIB}`);
  db.exec('BEGIN');
  assertHeadRow(db, file, head);
  port.on('message', (task: PartTask) => perform(task));
  post({ kind: 'ready' });
} catch (error) {
  fail(error);
}

function perform(task: PartTask): void {
  if (task.kind === 'recycle') return encoder.recycle(task.chunks);
  if (task.kind === 'end' || db === undefined) return end();
  try {
    const counter = { records: 0 };
    for (const text of csvPartTexts(db, task.filter, task.header, counter)) encoder.encode(text);
    const chunks = encoder.take();
    post({ kind: 'piece', index: task.index, records: counter.records, chunks }, chunks);
  } catch (error) {
    fail(error);
  }
}

function post(reply: PartReply, chunks: Uint8Array[] = []): void {
  port.postMessage(
    reply,
    chunks.map((chunk) => chunk.buffer as ArrayBuffer),
  );
}

function fail(error: unknown): void {
  post({ kind: 'failed', error: toPartError(error) });
  end();
}

function end(): void {
  try {
    if (db?.inTransaction) db.exec('COMMIT');
    db?.close();
  } catch {
    // a failed piece may leave its query open: the connection goes with the thread
  } finally {
    db = undefined;
    port.close();
  }
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
