/**
 * Streams `serial,password,key_id,fingerprint,attempt` CSV for a file of serials in constant memory, deriving on
 * worker threads (one per core) while keeping input order. Bad lines are reported on stderr with their line number
 * and skipped; the count of bad lines is returned.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { DERIVED_CSV_COLUMNS, type DerivedBatch } from './derive-rows.js';
import { startDerivePool, type DeriveWorkerSetup } from './derive-pool.js';
import { startProgress } from '../progress/index.js';
import { openSecretOutput } from './secret-output.js';
import { type NumberedLine, SerialLineSplitter } from './serial-lines.js';

/** Batches handed to the pool before the oldest must be written out. */
const IN_FLIGHT = 4;

export interface DerivedCsvJob extends DeriveWorkerSetup {
  input: string;
  out: string | undefined;
  force: boolean;
}

export async function writeDerivedCsv(job: DerivedCsvJob): Promise<number> {
  const name = job.input === '-' ? 'stdin' : job.input;
  const pool = startDerivePool({
    key: job.key,
    params: job.params,
    attempt: job.attempt,
    policy: job.policy,
    serialField: job.serialField,
  });
  let lines = 0;
  let bad = 0;
  const progress = startProgress('deriving', { unit: 'serials', total: countLines(job.input) });
  const queue: Promise<DerivedBatch & { size: number }>[] = [];
  const emit = (batch: DerivedBatch & { size: number }, push: (text: string) => void): void => {
    progress.advance(batch.size);
    for (const e of batch.errors)
      process.stderr.write(`credline: ${name}:${e.lineNumber}: ${e.message}; line skipped\n`);
    bad += batch.errors.length;
    if (batch.csv.length > 0) push(batch.csv);
  };
  const deriveInOrder = new Transform({
    writableObjectMode: true,
    transform(batch: NumberedLine[], _encoding: BufferEncoding, done: TransformCallback) {
      lines = batch.at(-1)?.lineNumber ?? lines;
      queue.push(pool.derive(batch).then((derived) => ({ ...derived, size: batch.length })));
      if (queue.length < IN_FLIGHT) return done();
      queue
        .shift()
        ?.then((b) => emit(b, (t) => this.push(t)))
        .then(() => done(), done);
    },
    flush(done: TransformCallback) {
      Promise.all(queue.splice(0))
        .then((batches) => batches.forEach((b) => emit(b, (t) => this.push(t))))
        .then(() => done(), done);
    },
  });
  deriveInOrder.push(stringify([DERIVED_CSV_COLUMNS]));
  const source =
    job.input === '-' ? process.stdin : createReadStream(job.input, { highWaterMark: 64 * 1024 });
  try {
    if (job.out === undefined) {
      await pipeline(source, new SerialLineSplitter(), deriveInOrder, process.stdout, { end: false });
    } else {
      await pipeline(
        source,
        new SerialLineSplitter(),
        deriveInOrder,
        await openSecretOutput(job.out, job.force),
      );
    }
  } finally {
    // Batches still queued when the pipeline stopped early are abandoned with their threads.
    for (const pending of queue) void pending.catch(() => undefined);
    progress.end();
    await pool.close();
  }
  if (bad > 0) process.stderr.write(`credline: ${bad} of ${lines} lines skipped\n`);
  return bad;
}

/** Lines in a serials file, for the progress line's total (only worth reading when stderr shows progress). */
function countLines(input: string): number | undefined {
  if (input === '-' || process.stderr.isTTY !== true) return undefined;
  const fd = openSync(input, 'r');
  try {
    const chunk = Buffer.alloc(1 << 16);
    let count = 0;
    let last = 10;
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      for (let at = chunk.indexOf(10); at >= 0 && at < read; at = chunk.indexOf(10, at + 1)) count++;
      last = chunk[read - 1] ?? 10;
    }
    return last === 10 ? count : count + 1;
  } finally {
    closeSync(fd);
  }
}
