/**
 * Salts for crypt(3) strings: fresh bytes from the operating system's CSPRNG for every device, written in the
 * 64-symbol crypt alphabet `./0-9A-Za-z`. 256 is a multiple of 64, so `byte mod 64` has no bias.
 */
import { randomBytes } from 'node:crypto';

/** The crypt(3) "base-64" alphabet, in its own order (Drepper's SHA-crypt, section "the output"). */
export const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A random salt of `length` crypt-alphabet characters (6 bits each).
 *
 * @example randomCryptSalt(16) // e.g. 'pX0/8cOq3Lw.Zr1T' (96 bits)
 */
export function randomCryptSalt(length: number): string {
  if (!Number.isInteger(length) || length < 1 || length > 64)
    throw new RangeError(`"length" expected an integer 1..64, got ${length}`);
  let salt = '';
  for (const byte of randomBytes(length)) salt += CRYPT_ALPHABET[byte % 64];
  return salt;
}
