import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8Bytes } from './bytes.js';
import { lineKeyOf, type LineKey } from './line-key.js';

const KEY_ID_LABEL = utf8Bytes('credline/key-id/v1');
const FINGERPRINT_KEY_LABEL = utf8Bytes('credline/fingerprint-key/v1');

/** A line key's public id: the first 16 hex digits of HMAC-SHA-256(K, "credline/key-id/v1"). */
export function keyId(key: Uint8Array | LineKey): string {
  return toHex(lineKeyOf(key).mac(KEY_ID_LABEL)).slice(0, 16);
}

/**
 * Computes password fingerprints under one line key: hex(HMAC-SHA-256(HMAC-SHA-256(K, "credline/fingerprint-key/v1"),
 * password)). The evidence store keeps these instead of passwords; equal passwords give equal fingerprints. The inner
 * HMAC is the one computed under K (inside the token, for a token key); the outer one is keyed by its result.
 */
export function createFingerprinter(key: Uint8Array | LineKey): (password: string) => string {
  const fingerprintKey = lineKeyOf(key).mac(FINGERPRINT_KEY_LABEL);
  const base = hmac.create(sha256, fingerprintKey);
  fingerprintKey.fill(0);
  return (password) => toHex(base.clone().update(utf8Bytes(password)).digest());
}

export function fingerprint(key: Uint8Array | LineKey, password: string): string {
  return createFingerprinter(key)(password);
}
