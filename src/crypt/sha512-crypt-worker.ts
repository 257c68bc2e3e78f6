/**
 * SHA-512-crypt on one worker thread, so a gang station's other ports keep going while a unit's crypt string is
 * computed (tens of ms at 5000 rounds, seconds at hundreds of thousands). The thread starts on first use and does
 * not keep the process alive when idle.
 */
import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl } from '../threads/index.js';
import { randomCryptSalt } from './salt.js';
import {
  SHA512_CRYPT_MAX_ROUNDS,
  SHA512_CRYPT_MIN_ROUNDS,
  SHA512_CRYPT_SALT_LENGTH,
} from './sha512-crypt.js';
import type { Sha512CryptReply, Sha512CryptRequest } from './sha512-crypt-thread.js';

interface Pending {
  resolve: (crypt: string) => void;
  reject: (error: Error) => void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function startWorker(): Worker {
  const started = new Worker(compiledWorkerUrl('./sha512-crypt-thread.js', import.meta.url));
  started.on('message', (reply: Sha512CryptReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) started.unref();
    if (!waiting) return;
    if ('crypt' in reply) waiting.resolve(reply.crypt);
    else waiting.reject(new RangeError(reply.error));
  });
  started.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    worker = undefined;
  });
  started.on('exit', () => {
    if (worker === started) worker = undefined;
  });
  return started;
}

/**
 * SHA-512-crypt of `password` with a fresh 16-character salt, computed on the worker thread.
 *
 * @example await sha512CryptOffThread('wNADKmUL9yu5', 5000) // '$6$rounds=5000$<salt>$<hash>'
 */
export function sha512CryptOffThread(password: string, rounds: number): Promise<string> {
  if (!Number.isInteger(rounds) || rounds < SHA512_CRYPT_MIN_ROUNDS || rounds > SHA512_CRYPT_MAX_ROUNDS) {
    return Promise.reject(
      new RangeError(
        `"rounds" expected an integer ${SHA512_CRYPT_MIN_ROUNDS}..${SHA512_CRYPT_MAX_ROUNDS}, got ${rounds}`,
      ),
    );
  }
  worker ??= startWorker();
  const thread = worker;
  const id = nextId++;
  const request: Sha512CryptRequest = {
    id,
    password,
    salt: randomCryptSalt(SHA512_CRYPT_SALT_LENGTH),
    rounds,
  };
  return new Promise<string>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.ref();
    thread.postMessage(request);
  });
}
