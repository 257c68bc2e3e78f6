/**
 * Evidence packs for the console, built one at a time in a worker thread (pack-thread.ts): a pack of a large batch
 * takes seconds of CPU (verify, export), which must not stall the live view, and one build at a time bounds memory.
 */
import { Worker } from 'node:worker_threads';
import { CredlineError, ExitCode, type ExitCodeValue } from '../errors/credline-error.js';
import { compiledWorkerUrl } from '../threads/compiled-worker-url.js';

type Reply = { zip: Uint8Array } | { error: string; exitCode?: ExitCodeValue };

export class PackBuilder {
  readonly #file: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  /** The batch's pack as zip bytes, the same as `credline pack --out FILE.zip` writes. */
  build(batchId: string): Promise<Uint8Array> {
    const next = this.#queue.then(() => this.#run(batchId));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #run(batchId: string): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(compiledWorkerUrl('./pack-thread.js', import.meta.url), {
        workerData: { file: this.#file, batchId },
      });
      worker.once('message', (reply: Reply) => {
        if ('zip' in reply) resolve(reply.zip);
        else
          reject(
            new CredlineError('WEB_PACK', reply.error, { exitCode: reply.exitCode ?? ExitCode.internal }),
          );
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the pack builder stopped (exit ${code})`)));
    });
  }
}
