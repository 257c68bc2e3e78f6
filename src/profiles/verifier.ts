/**
 * The PBKDF2-SHA-256 verifier a device stores instead of the plaintext password:
 * `pbkdf2-sha256:<iterations>:<salt hex>:<derived key hex>` with a 32-byte derived key (RFC 8018 section 5.2).
 * A device checks a login by recomputing PBKDF2 with the stored salt and iterations and comparing in constant time.
 */
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** Every character a verifier string can contain (checked against the console's interpreted characters). */
export const VERIFIER_SYMBOLS = 'pbkdf2-sha256:0123456789abcdef';

/**
 * Runs on libuv's thread pool, so a gang station's other ports keep going meanwhile.
 *
 * @example await computeVerifier('wNADKmUL9yu5', salt16, 100000) // 'pbkdf2-sha256:100000:<32 hex>:<64 hex>'
 */
export async function computeVerifier(
  password: string,
  salt: Uint8Array,
  iterations: number,
): Promise<string> {
  const dk = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  return `pbkdf2-sha256:${iterations}:${Buffer.from(salt).toString('hex')}:${dk.toString('hex')}`;
}
