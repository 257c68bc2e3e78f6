/**
 * `PRAGMA integrity_check` of an evidence file on a second connection in a worker thread, so that it runs on the
 * second core while verify walks the chain (on 1,000,000 events each takes seconds). The caller collects the
 * result synchronously when its own work is done; if the worker cannot run, the check runs inline instead. Not a
 * request thread (threads/): verify is synchronous, so the result is handed over through a shared flag and
 * receiveMessageOnPort rather than a promise.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { compiledWorkerUrl } from '../../threads/index.js';

/** What the thread posts: SQLite's messages, or why it could not run the check. */
export type IntegrityResult = { messages: string[] } | { error: string };

/**
 * Starts integrity_check of `file` in a worker; the returned function waits for it and returns SQLite's messages
 * (`['ok']` for a sound file). `inline` runs the check on the caller's connection when the worker fails.
 *
 * @example
 * const integrity = startIntegrityCheck('credline.db', () => runInline(db));
 * walkTheChain();
 * const messages = integrity();
 */
export function startIntegrityCheck(
  file: string,
  inline: () => string[],
  busyTimeoutMs: number,
): () => string[] {
  const done = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(compiledWorkerUrl('./integrity-check-thread.js', import.meta.url), {
      workerData: { file, port: port2, done, busyTimeoutMs },
      transferList: [port2],
    });
  } catch {
    port1.close();
    return inline;
  }
  worker.unref();
  let failed = false;
  worker.on('error', () => {
    failed = true;
  });
  return () => {
    const flag = new Int32Array(done);
    // The worker sets the flag after posting its result; a worker that died never will, so wait in slices.
    while (Atomics.load(flag, 0) === 0 && !failed) {
      if (Atomics.wait(flag, 0, 0, 200) === 'timed-out' && worker.threadId === -1) break;
    }
    const received = receiveMessageOnPort(port1)?.message as IntegrityResult | undefined;
    port1.close();
    return received && 'messages' in received ? received.messages : inline();
  };
}

/** integrity_check on an open connection (the fallback). */
export function integrityMessages(db: Database.Database): string[] {
  return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
}
