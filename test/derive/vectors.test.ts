import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveAlphabet } from '../../src/derive/alphabet.js';
import { fingerprint, keyId } from '../../src/derive/key-id.js';
import { createPasswordDeriver } from '../../src/derive/password.js';
import type { SerialCase } from '../../src/derive/serial.js';
import { referenceFingerprint, referenceKeyId, referencePassword } from './node-crypto-reference.js';

interface Vector {
  note: string;
  profileId: string;
  serial: string;
  serialUtf8Hex: string;
  serialCase: SerialCase;
  alphabet: string;
  length: number;
  attempt: number;
  canonicalSerial: string;
  password: string;
  fingerprint: string;
}
const file = JSON.parse(readFileSync(new URL('../vectors/derivation-v1.json', import.meta.url), 'utf8')) as {
  key: string;
  keyId: string;
  vectors: Vector[];
};
const key = Uint8Array.from(Buffer.from(file.key, 'hex'));

describe('derivation scheme v1 test vectors', () => {
  it('has the published vectors and at least 8 more', () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(11);
    expect(file.vectors[0]).toMatchObject({ serial: 'KL2301-100001', attempt: 0, password: 'wNADKmUL9yu5' });
    expect(file.vectors[0]?.fingerprint).toBe(
      '5863da2fda128d052d904ee3f5be36c9dbdaaacb1d2d3ed30db50af78190ca68',
    );
  });

  it('key id matches the library and node:crypto', () => {
    expect(keyId(key)).toBe(file.keyId);
    expect(referenceKeyId(Buffer.from(key))).toBe(file.keyId);
  });

  for (const v of file.vectors) {
    it(`${v.note}: ${v.profileId} attempt ${v.attempt}`, () => {
      expect(Buffer.from(v.serial, 'utf8').toString('hex')).toBe(v.serialUtf8Hex);
      const alphabet = resolveAlphabet(v.alphabet);
      const derived = createPasswordDeriver(key, { ...v, alphabet })(v.serial, v.attempt);
      expect(derived).toEqual({ serial: v.canonicalSerial, attempt: v.attempt, password: v.password });
      const independent = referencePassword(
        Buffer.from(key),
        v.profileId,
        v.canonicalSerial,
        alphabet,
        v.length,
        v.attempt,
      );
      expect(independent).toBe(v.password);
      expect(fingerprint(key, v.password)).toBe(v.fingerprint);
      expect(referenceFingerprint(Buffer.from(key), v.password)).toBe(v.fingerprint);
    });
  }
});
