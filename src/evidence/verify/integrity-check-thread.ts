/**
 * Worker-thread entry of the integrity check (integrity-check.ts): `PRAGMA integrity_check` of the file on its own
 * read-only connection. It posts its result on the port it was given, then raises the shared flag the caller may be
 * blocked on (Atomics.wait), since that caller is synchronous and cannot take a message event.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { integrityMessages, type IntegrityResult } from './integrity-check.js';

const { file, port, done, busyTimeoutMs } = workerData as {
  file: string;
  port: MessagePort;
  done: SharedArrayBuffer;
  busyTimeoutMs: number;
};

let result: IntegrityResult;
try {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    result = { messages: integrityMessages(db) };
  } finally {
    db.close();
  }
} catch (error) {
  result = { error: error instanceof Error ? error.message : String(error) };
}
port.postMessage(result);
port.close();
const flag = new Int32Array(done);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
