/**
 * SHA-512-crypt (`$6$`), as Linux's login, `chpasswd -e`, `usermod -p` and BusyBox read it from /etc/shadow:
 * Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512" (2008). The algorithm is the `unixcrypt` library's;
 * this file fixes the parameters credline uses: the rounds always written out, a 16-character salt (96 bits).
 */
import { encrypt } from 'unixcrypt';
import { CRYPT_ALPHABET } from './salt.js';

/** The spec's bounds for `rounds=` (values outside are clamped by crypt(3); credline refuses them instead). */
export const SHA512_CRYPT_MIN_ROUNDS = 1000;
export const SHA512_CRYPT_MAX_ROUNDS = 999_999_999;
/** The longest salt the spec uses (longer salts are cut to 16). */
export const SHA512_CRYPT_SALT_LENGTH = 16;

/**
 * The crypt string for `password` with the given salt (crypt alphabet, 1–16 characters) and rounds.
 * CPU-bound and synchronous (about 1–10 ms per 1,000 rounds here): the station calls it on a worker thread.
 *
 * @example sha512Crypt('Hello world!', 'saltstring', 5000) // '$6$rounds=5000$saltstring$svn8UoSVapNt…'
 */
export function sha512Crypt(password: string, salt: string, rounds: number): string {
  if (!Number.isInteger(rounds) || rounds < SHA512_CRYPT_MIN_ROUNDS || rounds > SHA512_CRYPT_MAX_ROUNDS) {
    throw new RangeError(
      `"rounds" expected an integer ${SHA512_CRYPT_MIN_ROUNDS}..${SHA512_CRYPT_MAX_ROUNDS}, got ${rounds}`,
    );
  }
  if (
    salt.length < 1 ||
    salt.length > SHA512_CRYPT_SALT_LENGTH ||
    ![...salt].every((c) => CRYPT_ALPHABET.includes(c))
  )
    throw new RangeError(`"salt" expected 1..16 characters of ./0-9A-Za-z, got ${salt.length} character(s)`);
  return encrypt(password, `$6$rounds=${rounds}$${salt}`);
}
