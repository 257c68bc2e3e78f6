/**
 * A large CSV export on two worker threads (export-part-thread.ts). The seq range is cut into pieces of a few
 * thousand seqs, which the workers take in order, one at a time, as each becomes free (so a worker slowed by other
 * load simply takes fewer). A worker sends a formatted piece back as UTF-8 chunks (memory transferred, not copied);
 * the main thread hashes and writes the pieces in seq order, holding the few that arrive early. It hands out a new
 * piece only while fewer than AHEAD_PIECES are formatted or being formatted beyond the next one to write, so memory
 * stays bounded whatever the workers' speeds. No temporary file is written.
 *
 * The bytes are those of the one-thread export: CSV records do not depend on their neighbours, and each piece keeps
 * the seq order (rows sharing a seq, in a tampered file, stay in one piece). The workers, not the main thread, do
 * the formatting because a worker's young generation can be kept small (resourceLimits): it is the export's peak
 * memory.
 *
 * One snapshot. The main thread's read transaction fixes the head (seq H, hash h). Each worker opens its own
 * connection and read transaction a moment later, so its snapshot may hold more rows; it reads only `seq <= H`.
 * All see the same rows up to H because the chained tables are append-only: their triggers refuse UPDATE and
 * DELETE, and a writer assigns `seq = head + 1` inside its IMMEDIATE transaction (chain-writer.ts), so whatever
 * commits after the main thread's snapshot has seq > H. Each worker checks that its snapshot still has the row
 * (H, h) and refuses to go on otherwise: that catches a file replaced (a backup restored) or re-chained between the
 * snapshots. An edit that goes around the triggers and leaves row H alone is tampering, which verify finds in the
 * file and the export shows, as a one-thread export taken a moment earlier or later would.
 */
import type { Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl } from '../../threads/compiled-worker-url.js';
import { fromPartError, type PartReply, type PartTask, type PartWorkerData } from './export-part-protocol.js';
import { HashedWriter } from './export-sink.js';
import type { ChainFilter } from '../chain/record-types.js';
import type { ChainHead } from '../types.js';

/** How a split export's seq range is cut (tests cut small ranges into tiny pieces). */
export interface SplitSizing {
  /** Below this many seqs in range, one thread does better. */
  minSeqs: number;
  /** Seqs per piece. */
  pieceSeqs: number;
}

/**
 * Measured on the 2-core bench machine: 100,000 records take as long on two workers as on one thread (each worker
 * costs ~0.15 s to start and ~0.15 s more before its code is optimised), 200,000 take 1.9 s instead of 3.0 s. A
 * piece of 4,096 seqs is ~2 MB of CSV: small enough to hold a few, large enough that its set-up does not count.
 */
export const SPLIT_SIZING: SplitSizing = { minSeqs: 150_000, pieceSeqs: 4096 };
/**
 * How far past the next piece to write the workers may run (pieces held or being formatted): enough that a worker
 * on a faster core need not wait for one on a slower core, few enough to bound the memory (~2 MB a piece).
 */
const AHEAD_PIECES = 4;
/** Two workers: each adds ~35 MB at its peak, and credline's machines have two cores or more. */
const WORKERS = 2;
/** A worker's young generation (MB): its garbage is all short-lived, and a small one keeps the peak RSS low. */
const WORKER_YOUNG_MB = 24;

/**
 * The filters of the pieces of a split export of `filter` (its seq range, up to the snapshot's head), in order; or
 * undefined when one thread does better (a small range).
 *
 * @example splitPlan({ batchId: 'B1' }, head)?.[1]; // { batchId: 'B1', fromSeq: 4097, toSeq: 8192 }
 */
export function splitPlan(
  filter: ChainFilter,
  head: ChainHead,
  sizing: SplitSizing = SPLIT_SIZING,
): ChainFilter[] | undefined {
  const low = Math.max(filter.fromSeq ?? 1, 1);
  const high = Math.min(filter.toSeq ?? head.seq, head.seq);
  if (high - low + 1 < Math.max(sizing.minSeqs, 1)) return undefined;
  const pieces: ChainFilter[] = [];
  for (let from = low; from <= high; from += sizing.pieceSeqs) {
    const to = Math.min(from + sizing.pieceSeqs - 1, high);
    // The first piece keeps the filter's own lower bound (none: rows below seq 1 of a tampered file come too); the
    // last ends at the head, below anything committed after the snapshot.
    pieces.push({ ...filter, ...(from === low ? {} : { fromSeq: from }), toSeq: to });
  }
  return pieces;
}

export interface SplitExportOptions {
  /** The evidence store the workers open. */
  file: string;
  /** The head of the caller's read transaction. */
  head: ChainHead;
  /** splitPlan's pieces. */
  pieces: readonly ChainFilter[];
  /** Creates the output and returns its descriptor: called once the workers are starting (emptying a large file takes time). */
  openOut: () => number;
  hash: Hash;
  signal: AbortSignal;
}

/**
 * Writes the CSV export of the pieces to `outFd` (header first), hashing every byte; resolves to the number of
 * records.
 */
export async function writeSplitCsv(options: SplitExportOptions): Promise<number> {
  const { pieces, signal } = options;
  const formatted = new Map<number, Formatted>();
  const changes = new Changes();
  const onAbort = (): void => changes.notify();
  signal.addEventListener('abort', onAbort);
  const workers: PartWorker[] = [];
  const idle: PartWorker[] = [];
  let writer: HashedWriter | undefined;
  let assigned = 0;
  let toWrite = 0;
  /** Hands pieces to idle workers while they may run ahead; ends the workers once every piece is handed out. */
  const dispatch = (): void => {
    while (idle.length > 0 && (assigned < toWrite + AHEAD_PIECES || assigned === pieces.length)) {
      const worker = idle.shift() as PartWorker;
      if (assigned === pieces.length) {
        worker.send({ kind: 'end' });
        continue;
      }
      const index = assigned++;
      worker.send({ kind: 'piece', index, filter: pieces[index] as ChainFilter, header: index === 0 });
    }
  };
  const onReply = (worker: PartWorker, reply: PartReply): void => {
    if (reply.kind === 'piece')
      formatted.set(reply.index, { records: reply.records, chunks: reply.chunks, worker });
    if (reply.kind !== 'failed') idle.push(worker);
    dispatch();
    changes.notify();
  };
  try {
    for (let i = 0; i < WORKERS; i++) {
      workers.push(startPartWorker({ file: options.file, head: options.head }, onReply, changes));
    }
    writer = new HashedWriter(options.openOut(), { hash: options.hash, signal });
    let records = 0;
    let written: Formatted | undefined;
    while (toWrite < pieces.length) {
      let piece = formatted.get(toWrite);
      while (piece === undefined) {
        signal.throwIfAborted();
        for (const worker of workers) if (worker.error) throw worker.error;
        await changes.next();
        piece = formatted.get(toWrite);
      }
      formatted.delete(toWrite);
      await writer.write(piece.chunks); // after the write of the piece before has completed:
      written?.worker.send({ kind: 'recycle', chunks: written.chunks });
      written = piece;
      records += piece.records;
      toWrite++;
      dispatch(); // room ahead again
    }
    await writer.finish();
    return records;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await writer?.settle(); // the caller closes the output next
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

/** A formatted piece, and the worker to send its chunks back to. */
interface Formatted {
  records: number;
  chunks: Uint8Array[];
  worker: PartWorker;
}

/** Wakes whoever waits for the next message of a worker (or an abort). */
class Changes {
  #waiters: (() => void)[] = [];
  next(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  notify(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

interface PartWorker {
  send(task: PartTask): void;
  /** Set when the worker failed (or stopped before it was told to end). */
  readonly error: Error | undefined;
  /** Ends the worker (if it still runs) and resolves once it has exited. */
  stop(): Promise<void>;
}

function startPartWorker(
  data: PartWorkerData,
  onReply: (worker: PartWorker, reply: PartReply) => void,
  changes: Changes,
): PartWorker {
  const worker = new Worker(compiledWorkerUrl('./export-part-thread.js', import.meta.url), {
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
  });
  const state: { error?: Error; ended?: boolean } = {};
  const fail = (error: Error): void => {
    state.error ??= error;
    changes.notify();
  };
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      if (!state.ended) fail(new Error(`the export worker stopped (exit code ${code})`));
      resolve();
    }),
  );
  const handle: PartWorker = {
    send(task) {
      if (state.ended) return;
      if (task.kind === 'end') state.ended = true;
      worker.postMessage(
        task,
        task.kind === 'recycle' ? task.chunks.map((chunk) => chunk.buffer as ArrayBuffer) : [],
      );
    },
    get error() {
      return state.error;
    },
    async stop() {
      await worker.terminate();
      await exited;
    },
  };
  worker.on('message', (reply: PartReply) => {
    if (reply.kind === 'failed') fail(fromPartError(reply.error));
    onReply(handle, reply);
  });
  worker.once('error', fail);
  return handle;
}
