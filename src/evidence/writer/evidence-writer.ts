/**
 * The station's evidence writer: the store's writes (intent, result, policy rejection) in a worker thread with
 * group commit (evidence-writer-thread.ts). The line's event loop never blocks on an fsync, and concurrent ports
 * share fsyncs; durability is unchanged: each promise resolves only after its own transaction committed
 * (WAL, synchronous=FULL), so an intent is still on disk before a device is touched.
 *
 * @example
 * const writer = startEvidenceWriter('credline.db');
 * const seq = await writer.recordIntent(intent);
 * // … write the password, read it back …
 * await writer.recordResult(seq, { result: 'PASS', readbackVerified: true });
 * await writer.close();
 */
import { Worker } from 'node:worker_threads';
import { CredlineError, ExitCode } from '../../errors/credline-error.js';
import { compiledWorkerUrl } from '../../threads/compiled-worker-url.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { reviveError, type WriterReply, type WriterRequest } from './evidence-writer-protocol.js';
import type { EventRecord, IntentInput, RefusalInput, RejectionInput, ResultInput } from '../types.js';

export interface EvidenceWriter {
  /** EvidenceStore.recordIntent, committed in the writer thread: resolves to the intent's seq. */
  recordIntent(input: IntentInput): Promise<number>;
  /** EvidenceStore.recordResult, committed in the writer thread. */
  recordResult(intentSeq: number, input: ResultInput): Promise<EventRecord>;
  /** EvidenceStore.recordPolicyRejection, committed in the writer thread: resolves to its seq. */
  recordPolicyRejection(input: RejectionInput): Promise<number>;
  /** EvidenceStore.recordRefusal, committed in the writer thread: resolves to the FAIL result event. */
  recordRefusal(input: RefusalInput): Promise<EventRecord>;
  /** Waits for the writes in flight, then closes the thread's connection. */
  close(): Promise<void>;
}

/**
 * The same writes committed directly on the caller's thread, through `store`: for a station with a single port,
 * where nothing else waits on the event loop and a thread hop would only add latency.
 */
export function inThreadEvidenceWriter(store: EvidenceStore): EvidenceWriter {
  return {
    recordIntent: async (input) => store.recordIntent(input),
    recordResult: async (intentSeq, input) => store.recordResult(intentSeq, input),
    recordPolicyRejection: async (input) => store.recordPolicyRejection(input),
    recordRefusal: async (input) => store.recordRefusal(input),
    close: async () => undefined,
  };
}

/**
 * The writer a station with `ports` ports uses: one port commits on its own thread (nothing else waits on the event
 * loop, and a thread hop would only add latency); several share a writer thread with group commit.
 */
export function evidenceWriterFor(store: EvidenceStore, ports: number): EvidenceWriter {
  return ports === 1 ? inThreadEvidenceWriter(store) : startEvidenceWriter(store.file);
}

type Request = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Starts the writer thread on an existing store file (open it once with openEvidenceStore to create or migrate). */
export function startEvidenceWriter(file: string, options: { busyTimeoutMs?: number } = {}): EvidenceWriter {
  const worker = new Worker(compiledWorkerUrl('./evidence-writer-thread.js', import.meta.url), {
    workerData: { file, ...options },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const waiter of pending.values()) waiter.reject(failure);
    pending.clear();
  };
  worker.on('message', (reply: WriterReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(reviveError(reply.error, file));
  });
  worker.on('error', (error) =>
    failAll(
      new CredlineError('EVIDENCE_WRITER', `${file}: the evidence writer stopped: ${error.message}`, {
        exitCode: ExitCode.internal,
        cause: error,
      }),
    ),
  );
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      failAll(
        new CredlineError('EVIDENCE_WRITER', `${file}: the evidence writer is closed`, {
          exitCode: ExitCode.internal,
        }),
      );
      resolve();
    }),
  );
  const inFlight = new Set<Promise<unknown>>();
  const send = <T>(request: Request): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    const reply = new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
    inFlight.add(reply);
    void reply.catch(() => undefined).finally(() => inFlight.delete(reply));
    return reply;
  };
  return {
    recordIntent: (input) => send<number>({ op: 'intent', input }),
    recordResult: (intentSeq, input) => send<EventRecord>({ op: 'result', intentSeq, input }),
    recordPolicyRejection: (input) => send<number>({ op: 'rejection', input }),
    recordRefusal: (input) => send<EventRecord>({ op: 'refusal', input }),
    async close() {
      await Promise.allSettled([...inFlight]);
      if (!failure) worker.postMessage({ op: 'close', id: 0 });
      await exited;
    },
  };
}
