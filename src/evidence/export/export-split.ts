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
import { compiledWorkerUrl, startRequestThread, ThreadStoppedError } from '../../threads/index.js';
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
  /** Hears the records written so far after each piece. */
  onRecords?: ((records: number) => void) | undefined;
}

/**
 * Writes the CSV export of the pieces to the output (header first), hashing every byte; resolves to the number of
 * records. Each worker is a request thread (threads/): a piece is one request, its formatted chunks the reply, and
 * the chunks of its pieces already written ride back to it with its next request.
 */
export async function writeSplitCsv(options: SplitExportOptions): Promise<number> {
  const { pieces, signal } = options;
  const workerData: PartWorkerData = { file: options.file, head: options.head };
  const threads = Array.from({ length: WORKERS }, () =>
    startRequestThread<PartTask, PartReply>(compiledWorkerUrl('./export-part-thread.js', import.meta.url), {
      workerData,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    }),
  );
  const formatted = new Map<number, Formatted>();
  /** Per worker, the chunks of its pieces written since its last request: their memory goes back to it. */
  const recycled: Uint8Array[][] = threads.map(() => []);
  const changes = new Changes();
  const onAbort = (): void => changes.notify();
  signal.addEventListener('abort', onAbort);
  let failure: Error | undefined;
  let assigned = 0;
  let toWrite = 0;
  const stopped = (): boolean => failure !== undefined || signal.aborted;
  /** One worker's loop: the next piece while it may run ahead of the writing, until every piece is handed out. */
  const feed = async (worker: number): Promise<void> => {
    const thread = threads[worker] as (typeof threads)[number];
    try {
      while (assigned < pieces.length && !stopped()) {
        if (assigned >= toWrite + AHEAD_PIECES) {
          await changes.next();
          continue;
        }
        const index = assigned++;
        const recycle = (recycled[worker] as Uint8Array[]).splice(0);
        const task: PartTask = { index, filter: pieces[index] as ChainFilter, header: index === 0, recycle };
        const reply = await thread.request(task, buffersOf(recycle));
        if (reply.kind === 'failed') throw fromPartError(reply.error);
        formatted.set(index, { records: reply.records, chunks: reply.chunks, worker });
        changes.notify();
      }
    } catch (error) {
      failure ??=
        error instanceof ThreadStoppedError
          ? new Error(`the export worker stopped: ${error.message}`)
          : (error as Error);
      changes.notify();
    }
  };
  let writer: HashedWriter | undefined;
  const feeding = threads.map((_, worker) => feed(worker));
  try {
    writer = new HashedWriter(options.openOut(), { hash: options.hash, signal });
    let records = 0;
    let written: Formatted | undefined;
    while (toWrite < pieces.length) {
      let piece = formatted.get(toWrite);
      while (piece === undefined) {
        signal.throwIfAborted();
        if (failure) throw failure;
        await changes.next();
        piece = formatted.get(toWrite);
      }
      formatted.delete(toWrite);
      await writer.write(piece.chunks); // after the write of the piece before has completed:
      if (written) recycled[written.worker]?.push(...written.chunks);
      written = piece;
      records += piece.records;
      options.onRecords?.(records);
      toWrite++;
      changes.notify(); // room ahead again
    }
    await writer.finish();
    return records;
  } finally {
    signal.removeEventListener('abort', onAbort);
    failure ??= new Error('the export ended');
    changes.notify();
    await writer?.settle(); // the caller closes the output next
    await Promise.all(threads.map((thread) => thread.terminate()));
    await Promise.all(feeding);
  }
}

function buffersOf(chunks: readonly Uint8Array[]): ArrayBuffer[] {
  return chunks.map((chunk) => chunk.buffer as ArrayBuffer);
}

/** A formatted piece, and the worker its chunks go back to. */
interface Formatted {
  records: number;
  chunks: Uint8Array[];
  worker: number;
}

/** Wakes whoever waits for the next piece, for room ahead, or for an abort. */
class Changes {
  #waiters: (() => void)[] = [];
  next(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  notify(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
