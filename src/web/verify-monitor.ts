/**
 * Keeps the chain's verify status for the console: one verification at a time in a child process, started again
 * when the chain has grown since the last one finished. Pages show the last finished result and its head.
 */
import type { ChildProcess } from 'node:child_process';
import { forkChild } from './child-module.js';
import type { ChainStatus } from './console-source.js';
import type { VerifySummary } from './verify-child.js';

export class VerifyMonitor {
  readonly #file: string;
  #last: VerifySummary | undefined;
  #running: ChildProcess | undefined;
  #error: string | undefined;

  constructor(file: string) {
    this.#file = file;
  }

  /** The last status; starts a verification when none runs and the chain moved past the last one's head. */
  status(headSeq: number): ChainStatus {
    if (!this.#running && (this.#last === undefined || this.#last.headSeq < headSeq)) this.#start();
    const last = this.#last;
    return {
      ok: last?.ok ?? (this.#error ? false : null),
      checkedSeq: last?.headSeq ?? 0,
      problems: last?.problems ?? (this.#error ? [this.#error] : []),
      running: this.#running !== undefined,
    };
  }

  /** Waits for a running verification to end (tests, shutdown). */
  async settle(): Promise<void> {
    const child = this.#running;
    if (child?.connected) await new Promise((done) => child.once('disconnect', done));
  }

  async stop(): Promise<void> {
    const child = this.#running;
    this.#running = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.ref(); // keeps the process alive until the child is gone
      child.kill('SIGTERM');
      await exited;
    }
  }

  #start(): void {
    const child = forkChild('./verify-child.js', import.meta.url, [this.#file]);
    this.#running = child;
    let answered = false;
    child.once('message', (summary: VerifySummary) => {
      answered = true;
      this.#last = summary;
      this.#error = undefined;
    });
    child.once('error', (error) => (this.#error = `verification could not run: ${error.message}`));
    // The channel closes after the last message: then the result (or its absence) is known.
    child.once('disconnect', () => {
      if (this.#running === child) this.#running = undefined;
      if (!answered) this.#error = 'verification stopped without a result';
    });
    child.unref();
    child.channel?.unref();
  }
}
