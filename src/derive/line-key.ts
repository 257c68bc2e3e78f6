/**
 * The line key as the derivation scheme uses it: only ever through HMAC-SHA-256 under K. A key held in memory
 * (32 bytes unsealed from a key file) and a key that never leaves a PKCS#11 token are both a {@link LineKey}; every
 * function of the scheme takes either, and gives byte-identical results.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

export const LINE_KEY_BYTES = 32;

/** HMAC-SHA-256 under the line key K, wherever K lives. */
export interface LineKey {
  /** HMAC-SHA-256(K, message) (RFC 2104 with SHA-256): 32 bytes. Synchronous: one call per 32 bytes of stream. */
  mac(message: Uint8Array): Uint8Array;
}

/** Checks that `key` is a 32-byte line key (noble-style message: what was expected, what arrived). */
export function assertLineKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== LINE_KEY_BYTES) {
    const got = key instanceof Uint8Array ? `length ${key.length}` : typeof key;
    throw new TypeError(`"key" expected Uint8Array of length ${LINE_KEY_BYTES}, got ${got}`);
  }
}

/**
 * The {@link LineKey} for `key`: itself when it already is one; for 32 bytes in memory, HMAC with the inner and
 * outer pads keyed once (each `mac` clones that state), so the bytes may be zeroed once this returns.
 *
 * @example
 * toHex(lineKeyOf(key).mac(utf8Bytes('credline/key-id/v1'))).slice(0, 16); // the key id
 */
export function lineKeyOf(key: Uint8Array | LineKey): LineKey {
  if (!(key instanceof Uint8Array) && typeof (key as Partial<LineKey> | null)?.mac === 'function') {
    return key;
  }
  assertLineKey(key as Uint8Array);
  const keyed = hmac.create(sha256, key as Uint8Array);
  return { mac: (message) => keyed.clone().update(message).digest() };
}
