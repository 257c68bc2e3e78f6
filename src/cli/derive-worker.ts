/** Worker-thread entry for `credline derive --serials-file`: derives the batches the pool sends it, in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { createRowDeriver, type DeriveRowsSetup } from './derive-rows.js';
import type { NumberedLine } from './serial-lines.js';

const setup = workerData as DeriveRowsSetup;
const deriveRows = createRowDeriver(setup);
setup.key.fill(0);
parentPort?.on('message', (batch: NumberedLine[]) => parentPort?.postMessage(deriveRows(batch)));
