/** Worker-thread entry: computes SHA-512-crypt strings off the station's event loop (see sha512-crypt-worker.ts). */
import { parentPort } from 'node:worker_threads';
import { sha512Crypt } from './sha512-crypt.js';

export interface Sha512CryptRequest {
  id: number;
  password: string;
  salt: string;
  rounds: number;
}

export type Sha512CryptReply = { id: number; crypt: string } | { id: number; error: string };

parentPort?.on('message', (request: Sha512CryptRequest) => {
  let reply: Sha512CryptReply;
  try {
    reply = { id: request.id, crypt: sha512Crypt(request.password, request.salt, request.rounds) };
  } catch (error) {
    reply = { id: request.id, error: (error as Error).message };
  }
  parentPort?.postMessage(reply);
});
