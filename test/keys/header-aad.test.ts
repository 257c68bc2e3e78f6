import { describe, expect, it } from 'vitest';
import { encodeHeaderAad } from '../../src/keys/header-aad.js';
import type { KeyFileHeader } from '../../src/keys/key-file-format.js';
import { documentedAad } from './independent-unseal.js';

const header: KeyFileHeader = {
  format: 'credline-key',
  version: 1,
  kind: 'line',
  keyId: 'd9c183eb84616abf',
  label: 'Líne 3',
  createdAt: '2026-01-31T12:00:00.000Z',
  kdf: { name: 'scrypt', N: 131072, r: 8, p: 1, salt: '000102030405060708090a0b0c0d0e0f' },
};

describe('encodeHeaderAad', () => {
  it('encodes the documented field order, lengths and values', () => {
    // documentedAad is written independently from docs/keystore.md.
    const expected = documentedAad(header);
    expect(Buffer.from(encodeHeaderAad(header)).toString('hex')).toBe(expected.toString('hex'));
    // The label is UTF-8: "Líne 3" is 7 bytes.
    expect(expected.includes(Buffer.from('000000056c6162656c000000074cc3ad6e652033', 'hex'))).toBe(true);
  });

  it('changes when any field changes, including moving bytes between adjacent fields', () => {
    const base = Buffer.from(encodeHeaderAad(header)).toString('hex');
    const variants: KeyFileHeader[] = [
      { ...header, kind: 'station', publicKey: 'ab'.repeat(32) },
      { ...header, keyId: 'd9c183eb84616abe' },
      { ...header, label: 'Líne 4' },
      { ...header, label: '' },
      { ...header, createdAt: '2026-01-31T12:00:00.001Z' },
      { ...header, kdf: { ...header.kdf, N: 262144 } },
      { ...header, kdf: { ...header.kdf, r: 9 } },
      { ...header, kdf: { ...header.kdf, p: 2 } },
      { ...header, kdf: { ...header.kdf, salt: '000102030405060708090a0b0c0d0e0e' } },
      { ...header, label: 'Líne 32026-01-31T12:00:00.000Z', createdAt: '' },
    ];
    const seen = new Set([base]);
    for (const v of variants) seen.add(Buffer.from(encodeHeaderAad(v)).toString('hex'));
    expect(seen.size).toBe(variants.length + 1);
  });
});
