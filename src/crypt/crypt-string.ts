/**
 * One door to the crypt(3) formats credline writes: a kind and its cost in, a crypt string with a fresh salt out.
 * yescrypt (`$y$`) is not offered: no well-kept JavaScript implementation exists on npm (see device-profiles/README).
 */
import { bcryptHashFresh } from './bcrypt.js';
import { CRYPT_ALPHABET } from './salt.js';
import { sha512CryptOffThread } from './sha512-crypt-worker.js';

export type CryptSpec = { kind: 'sha512-crypt'; rounds: number } | { kind: 'bcrypt'; cost: number };

/**
 * The crypt string for `password`, salted afresh from the CSPRNG; never blocks the event loop.
 *
 * @example await computeCryptString({ kind: 'sha512-crypt', rounds: 5000 }, 'wNADKmUL9yu5') // '$6$rounds=5000$…'
 */
export async function computeCryptString(spec: CryptSpec, password: string): Promise<string> {
  return spec.kind === 'sha512-crypt'
    ? sha512CryptOffThread(password, spec.rounds)
    : bcryptHashFresh(password, spec.cost);
}

/** Every character a crypt string of these kinds can hold (`$`, digits, `rounds=`, the crypt alphabet). */
export const CRYPT_STRING_SYMBOLS = `$=${CRYPT_ALPHABET}`;
