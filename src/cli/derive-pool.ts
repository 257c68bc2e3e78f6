/**
 * An ordered pool of derivation worker threads: batches go out round-robin and come back in input order, with at
 * most `inFlight` batches per worker outstanding (so memory stays flat however long the input). Each worker opens
 * its own handle on the line key (for a token key: one session per worker).
 */
import { availableParallelism } from 'node:os';
import { CredlineError, type ExitCodeValue } from '../errors/credline-error.js';
import type { SharedLineKey } from '../keys/index.js';
import { compiledWorkerUrl, startRequestThread } from '../threads/index.js';
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
  const entry = compiledWorkerUrl('./derive-worker.js', import.meta.url);
  const threads = Array.from({ length: Math.max(1, workers) }, () =>
    startRequestThread<NumberedLine[], WorkerReply>(entry, {
      workerData: setup,
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
    }),
  );
  let next = 0;
  return {
    async derive(batch) {
      const thread = threads[next++ % threads.length];
      if (thread === undefined) throw new Error('empty derive pool');
      const reply = await thread.request(batch);
      if ('fatal' in reply) {
        const { code, message, exitCode } = reply.fatal;
        throw new CredlineError(code, message, { exitCode });
      }
      return reply;
    },
    async close() {
      await Promise.all(threads.map((thread) => thread.terminate()));
    },
  };
}
