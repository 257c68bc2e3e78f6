/**
 * Worker-thread entry for `credline derive --serials-file`: opens its own handle on the line key (a copy of the
 * bytes, or its own token session), then derives the batches the pool sends it, in order. An error that ends the
 * run (the token lost) goes back as `{ fatal }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CredlineError } from '../errors/credline-error.js';
import { attachLineKey } from '../keys/index.js';
import { createRowDeriver } from './derive-rows.js';
import type { DeriveWorkerSetup, WorkerReply } from './derive-pool.js';
import type { NumberedLine } from './serial-lines.js';

const setup = workerData as DeriveWorkerSetup;
const ready = attachLineKey(setup.key).then((handle) => {
  if ('file' in setup.key) setup.key.file.fill(0);
  return createRowDeriver({ ...setup, key: handle.key });
});

function fatal(error: unknown): WorkerReply {
  if (error instanceof CredlineError) {
    return { fatal: { code: error.code, message: error.message, exitCode: error.exitCode } };
  }
  return {
    fatal: {
      code: 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
      exitCode: 70,
    },
  };
}

parentPort?.on('message', (batch: NumberedLine[]) => {
  ready
    .then((deriveRows) => deriveRows(batch))
    .then(
      (result) => parentPort?.postMessage(result satisfies WorkerReply),
      (error: unknown) => parentPort?.postMessage(fatal(error)),
    );
});
