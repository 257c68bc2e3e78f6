/**
 * Worker thread: runs `evidence verify` over the store file off the server's event loop (a million records take
 * seconds) and posts a summary: whether the chain verifies, the head it reached, the first problems.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyEvidence } from '../evidence/index.js';

export interface VerifySummary {
  ok: boolean;
  headSeq: number;
  problems: string[];
}

const report = verifyEvidence((workerData as { file: string }).file);
const summary: VerifySummary = {
  ok: report.ok,
  headSeq: report.head.seq,
  problems: report.problems.slice(0, 5).map((p) => p.message),
};
parentPort?.postMessage(summary);
