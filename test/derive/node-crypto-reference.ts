/**
 * An independent implementation of derivation scheme v1 on node:crypto, written from docs/derivation.md alone
 * (whole-buffer concatenation, no shared code with src/derive), used only to cross-check the library.
 */
import { createHmac } from 'node:crypto';

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

export function referencePassword(
  key: Buffer,
  profileId: string,
  canonicalSerial: string,
  alphabet: string,
  length: number,
  attempt: number,
): string | null {
  const nul = Buffer.from([0]);
  const context = Buffer.concat([
    Buffer.from(profileId, 'utf8'),
    nul,
    Buffer.from(canonicalSerial, 'utf8'),
    nul,
    Buffer.from(alphabet, 'ascii'),
    nul,
    u32(length),
    u32(attempt),
  ]);
  const bits = 256 * Math.ceil(length / 8);
  const stream: Buffer[] = [];
  for (let i = 1; i <= bits / 256; i++) {
    const message = Buffer.concat([
      u32(i),
      Buffer.from('credline/password/v1', 'ascii'),
      nul,
      context,
      u32(bits),
    ]);
    stream.push(createHmac('sha256', key).update(message).digest());
  }
  const n = alphabet.length;
  let out = '';
  for (const b of Buffer.concat(stream)) {
    if (b < 256 - (256 % n)) out += alphabet.charAt(b % n);
    if (out.length === length) return out;
  }
  return null;
}

export function referenceKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('credline/key-id/v1').digest('hex').slice(0, 16);
}

export function referenceFingerprint(key: Buffer, password: string): string {
  const fpKey = createHmac('sha256', key).update('credline/fingerprint-key/v1').digest();
  return createHmac('sha256', fpKey).update(password, 'utf8').digest('hex');
}
