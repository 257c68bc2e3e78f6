/**
 * What a device stores for its password, as the profile's `store` says: the plaintext, a PBKDF2 verifier, or a
 * crypt(3) string (SHA-512-crypt, bcrypt). Every salt is fresh from the CSPRNG, so two units never store the same
 * text even if their passwords were equal. The evidence keeps the kind and cost (through the profile), never this.
 */
import { randomBytes } from 'node:crypto';
import { computeCryptString, CRYPT_STRING_SYMBOLS } from '../crypt/index.js';
import type { StoreSpec } from './profile-types.js';
import { computeVerifier, VERIFIER_SYMBOLS } from './verifier.js';

/**
 * The text to write to the device for `password`.
 *
 * @example await computeStoredValue({ kind: 'sha512-crypt', rounds: 5000 }, 'wNADKmUL9yu5') // '$6$rounds=5000$…'
 */
export async function computeStoredValue(store: StoreSpec, password: string): Promise<string> {
  switch (store.kind) {
    case 'plaintext':
      return password;
    case 'pbkdf2-sha256':
      return computeVerifier(password, randomBytes(store.saltBytes), store.iterations);
    default:
      return computeCryptString(store, password);
  }
}

/** Every character the stored text can hold when it is not the password itself (checked against the console). */
export function storedValueSymbols(store: StoreSpec): string | undefined {
  switch (store.kind) {
    case 'plaintext':
      return undefined;
    case 'pbkdf2-sha256':
      return VERIFIER_SYMBOLS;
    default:
      return CRYPT_STRING_SYMBOLS;
  }
}
