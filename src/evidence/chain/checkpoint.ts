/**
 * Signed checkpoints: the station signs the chain head (Ed25519, RFC 8032) with its sealed station key, so a file
 * rewritten by someone without that key no longer verifies. The signed message is the canonical encoding
 * (canonical.ts) of: type tag `credline.checkpoint.v1`, head seq, head hash, station id, public key, reason,
 * created_at.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { canonicalBytes } from './canonical.js';
import type { CheckpointRecord } from '../types.js';

export const CHECKPOINT_TAG = 'credline.checkpoint.v1';

type Unsigned = Omit<CheckpointRecord, 'id' | 'signature'>;

/** The exact bytes a checkpoint signature covers. */
export function checkpointMessage(c: Unsigned): Buffer {
  return canonicalBytes(CHECKPOINT_TAG, [
    ['int', c.headSeq],
    ['text', c.headHash],
    ['text', c.stationId],
    ['text', c.publicKey],
    ['text', c.reason],
    ['time', c.createdAt],
  ]);
}

/**
 * Signs a checkpoint with a 32-byte Ed25519 seed (a station key from `credline keys create --kind station`).
 *
 * @example
 * const signed = signCheckpoint(seed, { headSeq: 42, headHash, stationId: 'line1', reason: 'run-end', createdAt });
 */
export function signCheckpoint(
  stationSecret: Uint8Array,
  c: Omit<Unsigned, 'publicKey'>,
): Omit<CheckpointRecord, 'id'> {
  if (!(stationSecret instanceof Uint8Array) || stationSecret.length !== 32) {
    const got = stationSecret instanceof Uint8Array ? `length ${stationSecret.length}` : typeof stationSecret;
    throw new TypeError(`"stationSecret" expected Uint8Array of length 32, got ${got}`);
  }
  const publicKey = Buffer.from(ed25519.getPublicKey(stationSecret)).toString('hex');
  const unsigned = { ...c, publicKey };
  const signature = Buffer.from(ed25519.sign(checkpointMessage(unsigned), stationSecret)).toString('hex');
  return { ...unsigned, signature };
}

/** True when the checkpoint's signature is valid for its own public key. */
export function checkpointSignatureValid(c: CheckpointRecord): boolean {
  try {
    return ed25519.verify(
      Buffer.from(c.signature, 'hex'),
      checkpointMessage(c),
      Buffer.from(c.publicKey, 'hex'),
    );
  } catch {
    return false;
  }
}
