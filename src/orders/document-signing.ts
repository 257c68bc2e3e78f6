/**
 * Ed25519 signatures (RFC 8032) over credline documents: the signed message is a domain label, a NUL, and the
 * document's canonical JSON (keys sorted, no white space), so an order's signature can never pass as a report's.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../profiles/index.js';
import type { DocumentSignature } from './order-types.js';

const utf8 = new TextEncoder();

/** The exact bytes signed for `body` under `label`. */
export function signedBytes(label: string, body: unknown): Uint8Array {
  return utf8.encode(`${label}\u0000${canonicalJson(body)}`);
}

/** Key id of an Ed25519 public key: the first 16 hex digits of SHA-256(public key bytes). */
export function signerKeyId(publicKeyHex: string): string {
  return Buffer.from(sha256(Buffer.from(publicKeyHex, 'hex')))
    .toString('hex')
    .slice(0, 16);
}

/** Signs `body` with a 32-byte Ed25519 seed. */
export function signDocument(label: string, body: unknown, seed: Uint8Array): DocumentSignature {
  const publicKey = Buffer.from(ed25519.getPublicKey(seed)).toString('hex');
  const value = Buffer.from(ed25519.sign(signedBytes(label, body), seed)).toString('hex');
  return { algorithm: 'Ed25519', keyId: signerKeyId(publicKey), publicKey, value };
}

/** True when `signature` is a valid Ed25519 signature of `body` by the public key it names, whose id it gives. */
export function signatureValid(label: string, body: unknown, signature: DocumentSignature): boolean {
  if (signature.algorithm !== 'Ed25519') return false;
  if (signerKeyId(signature.publicKey) !== signature.keyId) return false;
  try {
    return ed25519.verify(
      Buffer.from(signature.value, 'hex'),
      signedBytes(label, body),
      Buffer.from(signature.publicKey, 'hex'),
    );
  } catch {
    return false;
  }
}

/** SHA-256 (hex) of what was signed: the document's identity. */
export function documentHash(label: string, body: unknown): string {
  return Buffer.from(sha256(signedBytes(label, body))).toString('hex');
}
