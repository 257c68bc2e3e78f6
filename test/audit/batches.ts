/** Synthetic batches for the audit tests: good ones (credline-derived, CSPRNG) and one weak batch per rule. */
import { createHash, randomBytes } from 'node:crypto';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import type { AuditBatch } from '../../src/audit/audit-types.js';

export function serialOf(i: number): string {
  return `KL2301-${String(100000 + i)}`;
}

export function macOf(i: number): string {
  const hex = (0x0012bf910000 + i * 7).toString(16).padStart(12, '0');
  return (hex.match(/../g) ?? []).join(':');
}

/** A batch with serial and MAC columns and the given password per row. */
export function batchOf(
  n: number,
  password: (i: number) => string,
  serialFor: (i: number) => string = serialOf,
): AuditBatch {
  const passwords: string[] = [];
  const serial: string[] = [];
  const mac: string[] = [];
  for (let i = 0; i < n; i++) {
    passwords.push(password(i));
    serial.push(serialFor(i));
    mac.push(macOf(i));
  }
  return { passwords, lines: passwords.map((_, i) => i + 2), identifiers: { serial, mac } };
}

export function derivedBatch(n: number, key: Uint8Array, alphabet = UNAMBIGUOUS56, length = 12): AuditBatch {
  const derive = createPasswordDeriver(key, { profileId: 'acme-cam', alphabet, length });
  return batchOf(n, (i) => derive(serialOf(i)).password ?? '');
}

export function csprngPassword(alphabet: string, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 256 - (256 % alphabet.length) && out.length < length) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

export function shuffle<T>(items: T[], seed = 7): T[] {
  let s = seed;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export function sha256Base64(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** A seeded generator of uniform 32-bit integers (sfc32): batches that are the same on every run. */
export function seededUint32(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

/** A password of `length` symbols drawn uniformly from `alphabet` with a seeded generator. */
export function seededPassword(alphabet: string, length: number, next: () => number): string {
  let out = '';
  while (out.length < length) out += alphabet[next() % alphabet.length];
  return out;
}
