/**
 * Keeps the chain's verify status for the console: one verification at a time in a worker thread, started again
 * when the chain has grown since the last one finished. Pages show the last finished result and its head.
 */
import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl } from '../threads/compiled-worker-url.js';
import type { ChainStatus } from './console-source.js';
import type { VerifySummary } from './verify-thread.js';

export class VerifyMonitor {
  readonly #file: string;
  #last: VerifySummary | undefined;
  #running: Worker | undefined;
  #error: string | undefined;

  constructor(file: string) {
    this.#file = file;
  }

  /** The last status; starts a verification when none runs and the chain moved past `headSeq`'s last check. */
  status(headSeq: number): ChainStatus {
    if (!this.#running && (this.#last === undefined || this.#last.headSeq < headSeq)) this.#start();
    const last = this.#last;
    const problems = last?.problems ?? (this.#error ? [this.#error] : []);
    return {
      ok: last?.ok ?? (this.#error ? false : null),
      checkedSeq: last?.headSeq ?? 0,
      problems,
      running: this.#running !== undefined,
    };
  }

  /** Waits for a running verification to end (tests, shutdown). */
  async settle(): Promise<void> {
    const worker = this.#running;
    if (worker) await new Promise((done) => worker.once('exit', done));
  }

  async stop(): Promise<void> {
    const worker = this.#running;
    this.#running = undefined;
    if (worker) await worker.terminate();
  }

  #start(): void {
    const worker = new Worker(compiledWorkerUrl('./verify-thread.js', import.meta.url), {
      workerData: { file: this.#file },
    });
    this.#running = worker;
    worker.once('message', (summary: VerifySummary) => {
      this.#last = summary;
      this.#error = undefined;
    });
    worker.once('error', (error) => (this.#error = `verification could not run: ${error.message}`));
    worker.once('exit', () => {
      if (this.#running === worker) this.#running = undefined;
    });
    worker.unref();
  }
}
