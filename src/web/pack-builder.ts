/**
 * Evidence packs for the console, built one at a time in a child process (pack-child.ts): a pack of a large batch
 * takes seconds of CPU and memory (verify, export), which must not stall the live view or swell the server, and one
 * build at a time bounds the machine's load.
 */
import { CredlineError, ExitCode, type ExitCodeValue } from '../errors/credline-error.js';
import { forkChild } from './child-module.js';
import type { PackReply } from './pack-child.js';

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
      const child = forkChild('./pack-child.js', import.meta.url, [this.#file, batchId]);
      child.once('message', (reply: PackReply) => {
        if ('zip' in reply) resolve(reply.zip);
        else {
          const exitCode = (reply.exitCode ?? ExitCode.internal) as ExitCodeValue;
          reject(new CredlineError('WEB_PACK', reply.error, { exitCode }));
        }
      });
      child.once('error', reject);
      // The channel closes after the last message; without a reply the child failed.
      child.once('disconnect', () => reject(new Error('the pack builder stopped without a result')));
    });
  }
}
