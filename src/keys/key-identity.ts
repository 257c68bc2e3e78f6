/**
 * What a key file says about its key in public: the key id (and, for a station key, the Ed25519 public key), and
 * the check that an unsealed secret really is the key the header names.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, keyId as lineKeyId } from '../derive/index.js';
import { usageError } from '../errors/credline-error.js';

/**
 * line = 32-byte HMAC line key; station = 32-byte Ed25519 seed (RFC 8032 section 5.1.5) signing evidence and order
 * reports; order = the product owner's Ed25519 seed signing work orders.
 */
export type KeyKind = 'line' | 'station' | 'order';

export const KEY_KINDS: readonly KeyKind[] = ['line', 'station', 'order'];
export const SECRET_BYTES = 32;

export interface KeyIdentity {
  keyId: string;
  /** Lowercase hex Ed25519 public key; station keys only. */
  publicKey?: string;
}

/**
 * A station key's id: the first 16 hex digits of SHA-256(public key bytes).
 *
 * @example
 * stationKeyId('d75a98…'); // '21fe31dfa154a261'
 */
export function stationKeyId(publicKeyHex: string): string {
  return toHex(sha256(Buffer.from(publicKeyHex, 'hex'))).slice(0, 16);
}

/**
 * Computes the public identity of a 32-byte secret of the given kind.
 *
 * @example
 * identifyKey('line', key).keyId === keyId(key); // true
 */
export function identifyKey(kind: KeyKind, secret: Uint8Array): KeyIdentity {
  if (!(secret instanceof Uint8Array) || secret.length !== SECRET_BYTES) {
    const got = secret instanceof Uint8Array ? `length ${secret.length}` : typeof secret;
    throw new TypeError(`"secret" expected Uint8Array of length ${SECRET_BYTES}, got ${got}`);
  }
  if (kind === 'line') return { keyId: lineKeyId(secret) };
  const publicKey = toHex(ed25519.getPublicKey(secret));
  return { keyId: stationKeyId(publicKey), publicKey };
}

/** Throws KEY_ID_MISMATCH when an unsealed secret is not the key the header names (a writer bug, not tampering). */
export function assertSecretMatches(
  file: string,
  header: { kind: KeyKind; keyId: string; publicKey?: string },
  secret: Uint8Array,
): void {
  const actual = identifyKey(header.kind, secret);
  if (actual.keyId !== header.keyId || actual.publicKey !== header.publicKey) {
    throw usageError(
      'KEY_ID_MISMATCH',
      `${file}: the sealed key does not match the header's key id ${header.keyId} (the file was written wrongly)`,
    );
  }
}
