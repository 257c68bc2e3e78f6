import { randomBytes, randomInt } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NAMED_ALPHABETS, UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { createPasswordDeriver, MAX_ATTEMPT } from '../../src/derive/password.js';
import { referencePassword } from './node-crypto-reference.js';

const PRINTABLE = NAMED_ALPHABETS['printable94'] ?? '';
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789._-';
const SERIAL_CHARS = [
  ...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_/:#. ',
  'ä',
  'Ω',
  'é',
  '中',
  '😀',
  'ß',
];

function randomFrom(chars: readonly string[] | string, n: number): string {
  const list = [...chars];
  return Array.from({ length: n }, () => list[randomInt(list.length)]).join('');
}

function randomAlphabet(): string {
  const symbols = [...PRINTABLE];
  for (let i = symbols.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [symbols[i], symbols[j]] = [symbols[j] as string, symbols[i] as string];
  }
  return symbols.slice(0, 2 + randomInt(93)).join('');
}

describe('cross-check against node:crypto', () => {
  it('agrees on 10,000 random keys, profiles, serials, alphabets, lengths and attempts', () => {
    let exhausted = 0;
    for (let i = 0; i < 10_000; i++) {
      const key = randomBytes(32);
      const profileId =
        randomFrom('abcdefghijklmnopqrstuvwxyz0123456789', 1) + randomFrom(ID_CHARS, randomInt(64));
      const serial =
        randomFrom('ABC123', 1) + randomFrom(SERIAL_CHARS, randomInt(30)) + randomFrom('XYZ789', 1);
      const alphabet = randomAlphabet();
      const length = 4 + randomInt(61);
      const attempt = randomInt(MAX_ATTEMPT + 1);
      const got = createPasswordDeriver(key, { profileId, alphabet, length })(serial, attempt);
      const want = referencePassword(key, profileId, got.serial, alphabet, length, attempt);
      if (got.password !== want) {
        throw new Error(`mismatch for ${JSON.stringify({ profileId, serial, alphabet, length, attempt })}`);
      }
      if (got.password === null) exhausted++;
    }
    // With at least half of all bytes accepted and 4 bytes per symbol, running out is rare but possible.
    expect(exhausted).toBeLessThan(50);
  });
});

describe('properties', () => {
  const key = randomBytes(32);
  const arbitraryParams = fc.record({
    serial: fc.stringMatching(/^[A-Z0-9][A-Za-z0-9-]{0,40}$/),
    alphabet: fc
      .uniqueArray(fc.constantFrom(...PRINTABLE), { minLength: 2, maxLength: 94 })
      .map((a) => a.join('')),
    length: fc.integer({ min: 4, max: 64 }),
    attempt: fc.integer({ min: 0, max: MAX_ATTEMPT }),
  });

  it('is deterministic: the same inputs always give the same password', () => {
    fc.assert(
      fc.property(arbitraryParams, ({ serial, alphabet, length, attempt }) => {
        const a = createPasswordDeriver(key, { profileId: 'prop', alphabet, length })(serial, attempt);
        const b = createPasswordDeriver(key, { profileId: 'prop', alphabet, length })(serial, attempt);
        expect(a).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it('always respects the alphabet and the length', () => {
    fc.assert(
      fc.property(arbitraryParams, ({ serial, alphabet, length, attempt }) => {
        const { password } = createPasswordDeriver(key, { profileId: 'prop', alphabet, length })(
          serial,
          attempt,
        );
        if (password === null) return;
        expect(password).toHaveLength(length);
        for (const ch of password) expect(alphabet).toContain(ch);
      }),
      { numRuns: 2000 },
    );
  });

  it('binds every parameter: changing any one gives an unrelated password, not a prefix', () => {
    const base = { profileId: 'acme-cam', alphabet: UNAMBIGUOUS56, length: 12 };
    const p = createPasswordDeriver(key, base)('SN-1', 0).password ?? '';
    const variants = [
      createPasswordDeriver(key, { ...base, profileId: 'acme-cam2' })('SN-1', 0).password,
      createPasswordDeriver(key, { ...base, length: 13 })('SN-1', 0).password,
      createPasswordDeriver(key, { ...base, alphabet: UNAMBIGUOUS56.slice(1) + UNAMBIGUOUS56[0] })('SN-1', 0)
        .password,
      createPasswordDeriver(key, base)('SN-2', 0).password,
      createPasswordDeriver(key, base)('SN-1', 1).password,
      createPasswordDeriver(randomBytes(32), base)('SN-1', 0).password,
    ];
    for (const v of variants) {
      expect(v).not.toBe(p);
      expect((v ?? '').slice(0, 6)).not.toBe(p.slice(0, 6));
    }
  });
});
