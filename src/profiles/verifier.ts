/**
 * The PBKDF2-SHA-256 verifier a device stores instead of the plaintext password:
 * `pbkdf2-sha256:<iterations>:<salt hex>:<derived key hex>` with a 32-byte derived key (RFC 8018 section 5.2).
 * A device checks a login by recomputing PBKDF2 with the stored salt and iterations and comparing in constant time.
 */
import { pbkdf2Sync } from 'node:crypto';

/** Every character a verifier string can contain (checked against the console's interpreted characters). */
export const VERIFIER_SYMBOLS = 'pbkdf2-sha256:0123456789abcdef';

/**
 * @example computeVerifier('wNADKmUL9yu5', salt16, 100000) // 'pbkdf2-sha256:100000:<32 hex>:<64 hex>'
 */
export function computeVerifier(password: string, salt: Uint8Array, iterations: number): string {
  const dk = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  return `pbkdf2-sha256:${iterations}:${Buffer.from(salt).toString('hex')}:${dk.toString('hex')}`;
}
