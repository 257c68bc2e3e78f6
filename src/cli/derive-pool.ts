/**
 * An ordered pool of derivation worker threads: batches go out round-robin and come back in input order, with at
 * most `inFlight` batches per worker outstanding (so memory stays flat however long the input). Each worker opens
 * its own handle on the line key (for a token key: one session per worker).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CredlineError, type ExitCodeValue } from '../errors/credline-error.js';
import type { SharedLineKey } from '../keys/line-key-handle.js';
import type { DeriveRowsSetup, DerivedBatch } from './derive-rows.js';
import type { NumberedLine } from './serial-lines.js';

export type DeriveWorkerSetup = Omit<DeriveRowsSetup, 'key'> & { key: SharedLineKey };

/** A batch's rows, or the error that ends the run. */
export type WorkerReply =
  DerivedBatch | { fatal: { code: string; message: string; exitCode: ExitCodeValue } };

export interface DerivePool {
  derive(batch: NumberedLine[]): Promise<DerivedBatch>;
  close(): Promise<void>;
}

export function startDerivePool(
  setup: DeriveWorkerSetup,
  workers = Math.min(4, availableParallelism()),
): DerivePool {
  const pool = Array.from({ length: Math.max(1, workers) }, () => {
    const worker = new Worker(new URL('./derive-worker.js', import.meta.url), {
      workerData: setup,
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 48 },
    });
    const waiting: { resolve: (b: DerivedBatch) => void; reject: (e: unknown) => void }[] = [];
    worker.on('message', (reply: WorkerReply) => {
      const next = waiting.shift();
      if ('fatal' in reply) {
        const { code, message, exitCode } = reply.fatal;
        next?.reject(new CredlineError(code, message, { exitCode }));
      } else next?.resolve(reply);
    });
    worker.on('error', (error) => {
      for (const w of waiting.splice(0)) w.reject(error);
    });
    return { worker, waiting };
  });
  let next = 0;
  return {
    derive(batch) {
      const slot = pool[next++ % pool.length];
      if (slot === undefined) throw new Error('empty derive pool');
      return new Promise<DerivedBatch>((resolve, reject) => {
        slot.waiting.push({ resolve, reject });
        slot.worker.postMessage(batch);
      });
    },
    async close() {
      await Promise.all(pool.map((slot) => slot.worker.terminate()));
    },
  };
}
