/**
 * Worker thread: builds one evidence pack zip (evidence verify, the batch's export, the statement) off the server's
 * event loop, so the live line keeps updating while a large pack is built, and posts its bytes back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { evidencePackZip } from './pack-download.js';

const { file, batchId } = workerData as { file: string; batchId: string };
try {
  const zip = await evidencePackZip(file, batchId);
  parentPort?.postMessage({ zip }, [zip.buffer as ArrayBuffer]);
} catch (error) {
  const exitCode = (error as { exitCode?: number }).exitCode;
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error), exitCode });
}
