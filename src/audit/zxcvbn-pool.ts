/**
 * Scores untrusted passwords with zxcvbn in worker threads, with a per-row time limit: a watchdog reads each
 * worker's progress counter (shared memory) and terminates a worker stuck on one row past the limit; that row is
 * reported as timed out and the rest of its chunk is scored by a fresh worker. Input is capped at 64 characters.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { MAX_SCORED_LENGTH } from '../policy/estimator.js';

export interface ScoreRequest {
  row: number;
  password: string;
  userInputs: string[];
}

export interface PoolResult {
  /** zxcvbn score per requested row (same order as the requests); -1 where the row timed out. */
  scores: Int8Array;
  log10Guesses: Float64Array;
  timedOut: number[];
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zxcvbn = require(workerData.zxcvbnPath);
const progress = new Int32Array(workerData.progress);
zxcvbn('warm-up: compile the matchers before the first timed row', ['x']);
parentPort.on('message', (job) => {
  const out = new Float64Array(job.passwords.length * 2);
  for (let i = 0; i < job.passwords.length; i++) {
    Atomics.store(progress, 0, i + 1);
    const r = zxcvbn(String(job.passwords[i]).slice(0, ${MAX_SCORED_LENGTH}), job.inputs[i]);
    out[2 * i] = r.score;
    out[2 * i + 1] = r.guesses_log10;
  }
  Atomics.store(progress, 0, 0);
  parentPort.postMessage({ id: job.id, out }, [out.buffer]);
});
`;

interface Job {
  id: number;
  /** Indices into the request list. */
  items: number[];
}

interface Slot {
  worker: Worker;
  progress: Int32Array;
  job: Job | null;
  lastSeen: number;
  sinceMs: number;
}

const CHUNK = 64;
const WATCH_INTERVAL_MS = 20;

/**
 * Scores every request and resolves when all are done (or timed out).
 *
 * @example const { scores } = await scoreWithZxcvbn(requests, { workers: 2, rowTimeLimitMs: 250 });
 */
export async function scoreWithZxcvbn(
  requests: readonly ScoreRequest[],
  options: { workers?: number; rowTimeLimitMs?: number } = {},
): Promise<PoolResult> {
  const scores = new Int8Array(requests.length).fill(-1);
  const log10Guesses = new Float64Array(requests.length);
  const timedOut: number[] = [];
  if (requests.length === 0) return { scores, log10Guesses, timedOut };
  const limitMs = options.rowTimeLimitMs ?? 500;
  const zxcvbnPath = createRequire(import.meta.url).resolve('zxcvbn');
  const queue: Job[] = [];
  let nextId = 0;
  for (let start = 0; start < requests.length; start += CHUNK) {
    const items = Array.from({ length: Math.min(CHUNK, requests.length - start) }, (_, i) => start + i);
    queue.push({ id: nextId++, items });
  }
  let pending = queue.length;
  const workerCount = Math.max(1, Math.min(options.workers ?? 2, queue.length));

  return await new Promise<PoolResult>((resolve, reject) => {
    const slots: Slot[] = [];
    let finished = false;
    const finish = (error?: unknown): void => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      for (const slot of slots) void slot.worker.terminate();
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve({ scores, log10Guesses, timedOut: timedOut.sort((a, b) => a - b) });
    };
    const dispatch = (slot: Slot): void => {
      const job = queue.shift();
      slot.job = job ?? null;
      slot.lastSeen = 0;
      if (!job) return;
      const passwords = job.items.map((i) => requests[i]?.password ?? '');
      const inputs = job.items.map((i) => requests[i]?.userInputs ?? []);
      slot.worker.postMessage({ id: job.id, passwords, inputs });
    };
    const spawn = (): Slot => {
      const progress = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { zxcvbnPath, progress: progress.buffer },
      });
      const slot: Slot = { worker, progress, job: null, lastSeen: 0, sinceMs: 0 };
      worker.on('message', (msg: { id: number; out: Float64Array }) => {
        const job = slot.job;
        if (!job || job.id !== msg.id) return;
        job.items.forEach((item, k) => {
          scores[item] = msg.out[2 * k] ?? -1;
          log10Guesses[item] = msg.out[2 * k + 1] ?? 0;
        });
        pending--;
        if (pending === 0) finish();
        else dispatch(slot);
      });
      worker.on('error', (error) => finish(error));
      return slot;
    };
    const watchdog = setInterval(() => {
      const now = performance.now();
      slots.forEach((slot, index) => {
        const job = slot.job;
        if (!job) return;
        const at = Atomics.load(slot.progress, 0);
        if (at === 0 || at !== slot.lastSeen) {
          slot.lastSeen = at;
          slot.sinceMs = now;
          return;
        }
        if (now - slot.sinceMs < limitMs) return;
        // Stuck on one row: abandon it, requeue the others of its chunk on a fresh worker.
        const stuck = job.items[at - 1];
        if (stuck !== undefined) timedOut.push(requests[stuck]?.row ?? -1);
        const rest = job.items.filter((_, k) => k !== at - 1);
        void slot.worker.terminate();
        slot.job = null;
        if (rest.length > 0) queue.unshift({ id: nextId++, items: rest });
        else pending--;
        const fresh = spawn();
        slots[index] = fresh;
        if (pending === 0) finish();
        else dispatch(fresh);
      });
    }, WATCH_INTERVAL_MS);
    for (let i = 0; i < workerCount; i++) slots.push(spawn());
    for (const slot of slots) dispatch(slot);
  });
}
