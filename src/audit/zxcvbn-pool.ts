/**
 * Scores untrusted passwords with zxcvbn in worker threads, with a per-row time limit: a watchdog reads each
 * thread's progress counter (shared memory) and terminates a thread stuck on one row past the limit; that row is
 * reported as timed out and the rest of its chunk is scored by a fresh thread. At most 64 characters are scored.
 */
import { compiledWorkerUrl, startRequestThread, type RequestThread } from '../threads/index.js';
import type { ScoreJob, ScoreReply, ScorerSource, ScoreThreadData } from './score-thread-protocol.js';

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

/** The watchdog's time: `now` in ms, and a tick every `ms` until cancelled. */
export interface WatchdogClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

export interface ScoreOptions {
  /** Worker threads (default 2). */
  workers?: number;
  /** A row scored for longer than this is abandoned (default 500 ms). */
  rowTimeLimitMs?: number;
  /** The watchdog's clock (default the monotonic clock and a 20 ms interval). */
  clock?: WatchdogClock;
  /** The scorer module the threads load (default zxcvbn). */
  scorer?: ScorerSource;
  /** Hears how many requests are scored (or timed out) so far, after each chunk. */
  onScored?: (scored: number) => void;
}

const CHUNK = 64;
const WATCH_INTERVAL_MS = 20;

const monotonicClock: WatchdogClock = {
  now: () => performance.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
};

interface Slot {
  thread: RequestThread<ScoreJob, ScoreReply>;
  progress: Int32Array;
  /** Indices into the request list of the chunk being scored, or null when idle. */
  job: number[] | null;
  lastSeen: number;
  sinceMs: number;
  abandoned: boolean;
}

/**
 * Scores every request and resolves when all are done (or timed out).
 *
 * @example const { scores } = await scoreWithZxcvbn(requests, { workers: 2, rowTimeLimitMs: 250 });
 */
export async function scoreWithZxcvbn(
  requests: readonly ScoreRequest[],
  options: ScoreOptions = {},
): Promise<PoolResult> {
  const scores = new Int8Array(requests.length).fill(-1);
  const log10Guesses = new Float64Array(requests.length);
  const timedOut: number[] = [];
  if (requests.length === 0) return { scores, log10Guesses, timedOut };
  const limitMs = options.rowTimeLimitMs ?? 500;
  const clock = options.clock ?? monotonicClock;
  const entry = compiledWorkerUrl('./score-thread.js', import.meta.url);
  const scorer = options.scorer ?? { url: compiledWorkerUrl('./zxcvbn-scorer.js', import.meta.url).href };
  const queue: number[][] = [];
  for (let start = 0; start < requests.length; start += CHUNK) {
    queue.push(Array.from({ length: Math.min(CHUNK, requests.length - start) }, (_, i) => start + i));
  }
  let pending = queue.length;
  const workerCount = Math.max(1, Math.min(options.workers ?? 2, queue.length));

  return await new Promise<PoolResult>((resolve, reject) => {
    const slots: Slot[] = [];
    let finished = false;
    const finish = (error?: unknown): void => {
      if (finished) return;
      finished = true;
      stopWatching();
      for (const slot of slots) void slot.thread.terminate();
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve({ scores, log10Guesses, timedOut: timedOut.sort((a, b) => a - b) });
    };
    let scored = 0;
    const count = (rows: number): void => {
      scored += rows;
      options.onScored?.(scored);
    };
    const done = (): void => {
      pending--;
      if (pending === 0) finish();
    };
    const work = async (slot: Slot): Promise<void> => {
      for (let job = queue.shift(); job && !finished; job = queue.shift()) {
        slot.job = job;
        slot.lastSeen = 0;
        const out = await slot.thread.request({
          passwords: job.map((i) => requests[i]?.password ?? ''),
          inputs: job.map((i) => requests[i]?.userInputs ?? []),
        });
        job.forEach((item, k) => {
          scores[item] = out[2 * k] ?? -1;
          log10Guesses[item] = out[2 * k + 1] ?? 0;
        });
        slot.job = null;
        count(job.length);
        done();
      }
    };
    const spawn = (index: number): void => {
      const progress = new SharedArrayBuffer(4);
      const workerData: ScoreThreadData = { progress, scorer };
      const slot: Slot = {
        thread: startRequestThread<ScoreJob, ScoreReply>(entry, { workerData }),
        progress: new Int32Array(progress),
        job: null,
        lastSeen: 0,
        sinceMs: 0,
        abandoned: false,
      };
      slots[index] = slot;
      work(slot).catch((error: unknown) => {
        if (!slot.abandoned) finish(error);
      });
    };
    const watch = (): void => {
      const now = clock.now();
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
        // Stuck on one row: abandon it, requeue the others of its chunk on a fresh thread.
        const stuck = job[at - 1];
        if (stuck !== undefined) timedOut.push(requests[stuck]?.row ?? -1);
        count(1);
        const rest = job.filter((_, k) => k !== at - 1);
        slot.abandoned = true;
        void slot.thread.terminate();
        if (rest.length > 0) queue.unshift(rest);
        else done();
        if (!finished) spawn(index);
      });
    };
    const stopWatching = clock.every(WATCH_INTERVAL_MS, watch);
    for (let i = 0; i < workerCount; i++) spawn(i);
  });
}
