/**
 * SHA-256 helpers over canonical JSON (the same canonical form profiles use: keys sorted, no white space), so the
 * same record always hashes the same whatever order its file was written in.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../profiles/index.js';

/** Lowercase hex SHA-256 of bytes or of a string's UTF-8. */
export function sha256Hex(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return Buffer.from(sha256(bytes)).toString('hex');
}

/**
 * SHA-256 of a value's canonical JSON.
 *
 * @example canonicalHash({ b: 1, a: 2 }) === canonicalHash({ a: 2, b: 1 }) // true
 */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
