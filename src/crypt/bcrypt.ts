/**
 * bcrypt (`$2b$`, Provos and Mazières, "A Future-Adaptable Password Scheme", USENIX 1999; `$2b$` is OpenBSD's
 * 2014 revision), computed by the `bcryptjs` library. bcrypt reads at most 72 bytes of the password; credline's
 * passwords are at most 64 ASCII characters, so nothing is cut.
 */
import { randomBytes } from 'node:crypto';
import bcryptjs from 'bcryptjs';

export const BCRYPT_MIN_COST = 4;
export const BCRYPT_MAX_COST = 31;

/**
 * The `$2b$` crypt string of `password` with a 16-byte salt and cost (2^cost rounds of the key schedule).
 * Asynchronous: bcryptjs yields to the event loop between rounds, so other ports keep going.
 *
 * @example await bcryptHash('U*U', salt16, 10) // '$2b$10$<22 salt chars><31 hash chars>'
 */
export async function bcryptHash(password: string, salt: Uint8Array, cost: number): Promise<string> {
  if (!Number.isInteger(cost) || cost < BCRYPT_MIN_COST || cost > BCRYPT_MAX_COST)
    throw new RangeError(`"cost" expected an integer ${BCRYPT_MIN_COST}..${BCRYPT_MAX_COST}, got ${cost}`);
  if (salt.length !== 16) throw new RangeError(`"salt" expected 16 bytes, got ${salt.length}`);
  if (Buffer.byteLength(password, 'utf8') > 72)
    throw new RangeError('"password" expected at most 72 bytes (bcrypt ignores the rest)');
  const setting = `$2b$${String(cost).padStart(2, '0')}$${bcryptjs.encodeBase64(salt, 16)}`;
  return bcryptjs.hash(password, setting);
}

/** bcrypt with a fresh random 16-byte salt. */
export function bcryptHashFresh(password: string, cost: number): Promise<string> {
  return bcryptHash(password, randomBytes(16), cost);
}
