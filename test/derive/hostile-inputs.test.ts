import { describe, expect, it } from 'vitest';
import { assertPolicyEntropy, UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { canonicaliseSerial } from '../../src/derive/serial.js';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { CredlineError } from '../../src/errors/credline-error.js';

const key = new Uint8Array(32);
const ok = { profileId: 'acme-cam', alphabet: UNAMBIGUOUS56, length: 12 };

describe('serial canonicalisation', () => {
  it.each([
    ['  KL-1\t\r\n', 'asis', 'KL-1'],
    ['\v\fkl-1 ', 'upper', 'KL-1'],
    ['e\u0301', 'asis', '\u00e9'],
    ['straße-ä', 'upper', 'STRAßE-ä'],
    ['a b', 'asis', 'a b'],
  ] as const)('%j (%s) -> %j', (raw, mode, want) => {
    expect(canonicaliseSerial(raw, mode)).toBe(want);
  });

  it.each([
    ['', 'empty'],
    [' \t\r\n', 'empty'],
    ['A\u0000B', 'U+0000'],
    ['A\u001bB', 'U+001B'],
    ['A\u200bB', 'U+200B'],
    ['A\u00adB', 'U+00AD'],
    ['A\ud800B', 'lone surrogate'],
    ['A\u0085B', 'U+0085'],
    ['X'.repeat(129), '129 bytes'],
    ['é'.repeat(65), '130 bytes'],
  ])('refuses %j with a message naming the problem', (raw, fragment) => {
    expect(() => canonicaliseSerial(raw)).toThrow(CredlineError);
    expect(() => canonicaliseSerial(raw)).toThrow(fragment);
  });

  it('accepts exactly 128 bytes', () => {
    expect(canonicaliseSerial('X'.repeat(128))).toHaveLength(128);
  });
});

describe('deriver parameters', () => {
  it.each([
    [{ ...ok, profileId: 'Acme' }, 'profile id'],
    [{ ...ok, profileId: '-acme' }, 'profile id'],
    [{ ...ok, profileId: 'a'.repeat(65) }, 'profile id'],
    [{ ...ok, alphabet: 'a' }, '2 to 94'],
    [{ ...ok, alphabet: 'abca' }, 'repeats'],
    [{ ...ok, alphabet: 'ab c' }, 'U+0020'],
    [{ ...ok, alphabet: 'abcé' }, 'U+00E9'],
    [{ ...ok, length: 3 }, '4..64'],
    [{ ...ok, length: 65 }, '4..64'],
    [{ ...ok, length: 12.5 }, '4..64'],
  ])('refuses %j', (params, fragment) => {
    expect(() => createPasswordDeriver(key, params)).toThrow(fragment);
  });

  it('refuses a key of the wrong size, naming what arrived', () => {
    expect(() => createPasswordDeriver(new Uint8Array(16), ok)).toThrow(
      '"key" expected Uint8Array of length 32, got length 16',
    );
  });

  it.each([-1, 16, 1.5])('refuses attempt %d', (attempt) => {
    expect(() => createPasswordDeriver(key, ok)('SN', attempt)).toThrow('"attempt"');
  });
});

describe('entropy floor', () => {
  it('refuses a policy under 48 bits with the figures', () => {
    expect(() => assertPolicyEntropy('0123456789', 12)).toThrow(/39\.9 bits.*at least 48/);
    expect(() => assertPolicyEntropy(UNAMBIGUOUS56, 8)).toThrow(/46\.5 bits/);
  });
  it('accepts the default policy and a profile floor above 48', () => {
    expect(() => assertPolicyEntropy(UNAMBIGUOUS56, 12)).not.toThrow();
    expect(() => assertPolicyEntropy(UNAMBIGUOUS56, 12, 72)).toThrow(/at least 72/);
  });
});
