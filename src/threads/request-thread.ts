/**
 * A worker thread that answers each request with exactly one reply, in the order the requests were sent: `request`
 * posts a message and resolves with the thread's next reply. The pools of credline (derivation, zxcvbn scoring)
 * are built from these. An error thrown in the thread, or its exit, rejects every request still waiting and every
 * later one, so a caller never waits on a thread that is gone.
 *
 * @example
 * const thread = startRequestThread<Job, Result>(compiledWorkerUrl('./my-thread.js', import.meta.url));
 * const result = await thread.request(job);
 * await thread.terminate();
 */
import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';

export interface RequestThread<Request, Reply> {
  /** Sends one request; resolves with the thread's reply to it. */
  request(message: Request, transfer?: readonly Transferable[]): Promise<Reply>;
  /** Stops the thread at once (requests still waiting are rejected) and resolves once it has exited. */
  terminate(): Promise<void>;
}

export interface RequestThreadOptions {
  /** Handed to the thread as `workerData` (structured clone; SharedArrayBuffers are shared). */
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
}

/** The error a request gets when its thread stopped before replying. */
export class ThreadStoppedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ThreadStoppedError';
  }
}

export function startRequestThread<Request, Reply>(
  entry: URL,
  options: RequestThreadOptions = {},
): RequestThread<Request, Reply> {
  const worker = new Worker(entry, {
    workerData: options.workerData,
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  });
  const waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  let failure: Error | undefined;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const waiter of waiting.splice(0)) waiter.reject(failure);
  };
  worker.on('message', (reply: Reply) => waiting.shift()?.resolve(reply));
  worker.on('error', (error) => failAll(error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      failAll(new ThreadStoppedError(`the worker thread exited (code ${code})`));
      resolve();
    }),
  );
  return {
    request(message, transfer = []) {
      if (failure) return Promise.reject(failure);
      return new Promise<Reply>((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage(message, transfer);
      });
    },
    async terminate() {
      failAll(new ThreadStoppedError('the worker thread was stopped'));
      await worker.terminate();
      await exited;
    },
  };
}
