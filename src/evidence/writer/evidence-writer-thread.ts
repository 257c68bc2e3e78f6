/**
 * Worker-thread entry of the evidence writer (evidence-writer.ts): owns one connection to the store and commits
 * what the ports send in groups, answering each request once, in order. Requests that arrive while a commit (an fsync) is under way wait and go together
 * in the next transaction, so N ports cost about one fsync per round instead of N; each reply is posted only after
 * its transaction committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openEvidenceStore } from '../store/evidence-store.js';
import { serialiseError, type WriterReply, type WriterRequest } from './evidence-writer-protocol.js';

const { file, busyTimeoutMs } = workerData as { file: string; busyTimeoutMs?: number };
const store = openEvidenceStore(file, busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
type WriteRequest = Exclude<WriterRequest, { op: 'close' }>;
const queue: WriteRequest[] = [];

parentPort?.on('message', (request: WriterRequest) => {
  if (request.op === 'close') {
    // Requests sent before the close are answered first: replies are matched to requests by their order.
    if (queue.length > 0) commitQueued();
    store.close();
    parentPort?.postMessage({ ok: true, value: null } satisfies WriterReply);
    parentPort?.close();
    return;
  }
  queue.push(request);
  if (queue.length === 1) setImmediate(commitQueued);
});

function commitQueued(): void {
  const requests = queue.splice(0);
  if (requests.length === 0) return;
  let replies: WriterReply[];
  try {
    replies = store
      .group(requests.map((request) => () => perform(request)))
      .map((outcome) =>
        outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: serialiseError(outcome.error) },
      );
  } catch (error) {
    const failed = serialiseError(error);
    replies = requests.map(() => ({ ok: false, error: failed }));
  }
  for (const reply of replies) parentPort?.postMessage(reply);
}

function perform(request: WriteRequest): unknown {
  switch (request.op) {
    case 'intent':
      return store.recordIntent(request.input);
    case 'result':
      return store.recordResult(request.intentSeq, request.input);
    case 'rejection':
      return store.recordPolicyRejection(request.input);
    case 'refusal':
      return store.recordRefusal(request.input);
  }
}
