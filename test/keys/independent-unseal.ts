/**
 * An independent implementation of "re-open a key file" following docs/keystore.md, using node:crypto only
 * (scrypt, ChaCha20-Poly1305) plus HChaCha20 written out here from draft-irtf-cfrg-xchacha-03 section 2.2. It shares
 * no code with src/keys: if the two agree, the document is enough to re-open a file.
 */
import { createDecipheriv, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

interface FileDoc {
  format: string;
  version: number;
  kind: string;
  keyId: string;
  label: string;
  createdAt: string;
  demo?: boolean;
  publicKey?: string;
  kdf: { name: string; N: number; r: number; p: number; salt: string };
  sealed: { aead: string; nonce: string; ciphertext: string };
}

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** HChaCha20(key, 16-byte nonce) -> 32-byte subkey (draft-irtf-cfrg-xchacha-03 section 2.2). */
export function hchacha20(key: Buffer, nonce16: Buffer): Buffer {
  const s = new Uint32Array(16);
  s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) s[4 + i] = key.readUInt32LE(4 * i);
  for (let i = 0; i < 4; i++) s[12 + i] = nonce16.readUInt32LE(4 * i);
  const g = (i: number): number => s[i] ?? 0;
  const qr = (a: number, b: number, c: number, d: number): void => {
    s[a] = g(a) + g(b);
    s[d] = rotl(g(d) ^ g(a), 16);
    s[c] = g(c) + g(d);
    s[b] = rotl(g(b) ^ g(c), 12);
    s[a] = g(a) + g(b);
    s[d] = rotl(g(d) ^ g(a), 8);
    s[c] = g(c) + g(d);
    s[b] = rotl(g(b) ^ g(c), 7);
  };
  for (let round = 0; round < 10; round++) {
    qr(0, 4, 8, 12);
    qr(1, 5, 9, 13);
    qr(2, 6, 10, 14);
    qr(3, 7, 11, 15);
    qr(0, 5, 10, 15);
    qr(1, 6, 11, 12);
    qr(2, 7, 8, 13);
    qr(3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((w, i) => out.writeUInt32LE(g(w), 4 * i));
  return out;
}

/** The associated data exactly as docs/keystore.md states it. */
export function documentedAad(doc: Omit<FileDoc, 'sealed'>): Buffer {
  const fields: Array<[string, string]> = [
    ['format', doc.format],
    ['version', String(doc.version)],
    ['kind', doc.kind],
    ['keyId', doc.keyId],
    ['label', doc.label],
    ['createdAt', doc.createdAt],
    ['publicKey', doc.publicKey ?? ''],
    ['kdf.name', doc.kdf.name],
    ['kdf.N', String(doc.kdf.N)],
    ['kdf.r', String(doc.kdf.r)],
    ['kdf.p', String(doc.kdf.p)],
    ['kdf.salt', doc.kdf.salt],
    ...(doc.demo === true ? [['demo', 'true'] as [string, string]] : []),
  ];
  const parts = [Buffer.from('credline-key/v1\0', 'ascii')];
  for (const [name, value] of fields) {
    for (const text of [name, value]) {
      const bytes = Buffer.from(text, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length);
      parts.push(len, bytes);
    }
  }
  return Buffer.concat(parts);
}

/** Re-opens a key file with node:crypto; throws if the tag does not verify. */
export function independentlyUnseal(path: string, passphrase: string): Buffer {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as FileDoc;
  const { N, r, p, salt } = doc.kdf;
  const kek = scryptSync(Buffer.from(passphrase.normalize('NFC'), 'utf8'), Buffer.from(salt, 'hex'), 32, {
    N,
    r,
    p,
    maxmem: 256 * N * r,
  });
  const nonce = Buffer.from(doc.sealed.nonce, 'hex');
  const sealed = Buffer.from(doc.sealed.ciphertext, 'hex');
  const subkey = hchacha20(kek, nonce.subarray(0, 16));
  const ietfNonce = Buffer.concat([Buffer.alloc(4), nonce.subarray(16, 24)]);
  const decipher = createDecipheriv('chacha20-poly1305', subkey, ietfNonce, { authTagLength: 16 });
  decipher.setAAD(documentedAad(doc), { plaintextLength: sealed.length - 16 });
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}
