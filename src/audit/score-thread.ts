/** Worker-thread entry of the zxcvbn pool: scores the jobs it is sent, marking its progress row by row. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ScoreJob, ScoreReply, ScorerModule, ScoreThreadData } from './score-thread-protocol.js';

const { progress, scorer } = workerData as ScoreThreadData;
const row = new Int32Array(progress);
const { createScorer } = (await import(scorer.url)) as ScorerModule;
const score = createScorer(scorer.data);

parentPort?.on('message', (job: ScoreJob) => {
  const buffer = new ArrayBuffer(job.passwords.length * 2 * Float64Array.BYTES_PER_ELEMENT);
  const out: ScoreReply = new Float64Array(buffer);
  job.passwords.forEach((password, i) => {
    Atomics.store(row, 0, i + 1);
    const estimate = score(String(password), job.inputs[i] ?? []);
    out[2 * i] = estimate.score;
    out[2 * i + 1] = estimate.log10Guesses;
  });
  Atomics.store(row, 0, 0);
  parentPort?.postMessage(out, [buffer]);
});
