/**
 * An ordered pool of derivation worker threads: batches go out round-robin and come back in input order, with at
 * most `inFlight` batches per worker outstanding (so memory stays flat however long the input).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DeriveRowsSetup, DerivedBatch } from './derive-rows.js';
import type { NumberedLine } from './serial-lines.js';

export interface DerivePool {
  derive(batch: NumberedLine[]): Promise<DerivedBatch>;
  close(): Promise<void>;
}

export function startDerivePool(
  setup: DeriveRowsSetup,
  workers = Math.min(4, availableParallelism()),
): DerivePool {
  const pool = Array.from({ length: Math.max(1, workers) }, () => {
    const worker = new Worker(new URL('./derive-worker.js', import.meta.url), {
      workerData: setup,
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 48 },
    });
    const waiting: { resolve: (b: DerivedBatch) => void; reject: (e: unknown) => void }[] = [];
    worker.on('message', (batch: DerivedBatch) => waiting.shift()?.resolve(batch));
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
