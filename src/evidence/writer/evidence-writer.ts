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
import { CredlineError, ExitCode } from '../../errors/credline-error.js';
import { compiledWorkerUrl, startRequestThread, ThreadStoppedError } from '../../threads/index.js';
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

/** Starts the writer thread on an existing store file (open it once with openEvidenceStore to create or migrate). */
export function startEvidenceWriter(file: string, options: { busyTimeoutMs?: number } = {}): EvidenceWriter {
  const thread = startRequestThread<WriterRequest, WriterReply>(
    compiledWorkerUrl('./evidence-writer-thread.js', import.meta.url),
    { workerData: { file, ...options } },
  );
  const inFlight = new Set<Promise<unknown>>();
  const send = <T>(request: WriterRequest): Promise<T> => {
    const reply = thread.request(request).then(
      (answer) => {
        if (answer.ok) return answer.value as T;
        throw reviveError(answer.error, file);
      },
      (error: unknown) => {
        throw writerStopped(file, error);
      },
    );
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
      await send({ op: 'close' }).catch(() => undefined); // the thread closes its connection, then answers
      await thread.terminate();
    },
  };
}

/** Why a write got no answer: the thread failed, or it is closed. */
function writerStopped(file: string, error: unknown): CredlineError {
  const message =
    error instanceof ThreadStoppedError
      ? `${file}: the evidence writer is closed`
      : `${file}: the evidence writer stopped: ${error instanceof Error ? error.message : String(error)}`;
  return new CredlineError('EVIDENCE_WRITER', message, { exitCode: ExitCode.internal, cause: error });
}
