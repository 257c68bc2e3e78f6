/**
 * Property: no change to a key file's text opens to anything but the original key under the original header.
 * The file is sealed here under a fixed KEK (no scrypt runs), with the station fixture's header and seed.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatKeyFileText, parseKeyFileText } from '../../src/keys/key-file-format.js';
import { sealSecret, unsealSecret } from '../../src/keys/seal.js';
import { RFC8032_TEST1_SEED, STATION_FIXTURE } from './fixtures.js';

const KEK = Buffer.from('acc4c1a0296d7a8183437269a0c3deda5ac051bfcda5c5aff74a5b4351af81b1', 'hex');
const fixture = parseKeyFileText(readFileSync(STATION_FIXTURE, 'utf8'), 'f');
const text = formatKeyFileText(
  fixture.header,
  sealSecret(fixture.header, Buffer.from(RFC8032_TEST1_SEED, 'hex'), KEK),
);
const original = parseKeyFileText(text, 'f');

/** 'opened' with the original meaning, or the refusal code. */
function outcome(mutated: string): string {
  let parsed;
  try {
    parsed = parseKeyFileText(mutated, 'f');
  } catch (error) {
    return (error as { code: string }).code;
  }
  try {
    const secret = unsealSecret('f', parsed.header, parsed.sealed, KEK);
    expect(Buffer.from(secret).toString('hex')).toBe(RFC8032_TEST1_SEED);
    // Only a change that means nothing (layout) may open, and then it means exactly the original.
    expect(parsed).toEqual(original);
    return 'opened';
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error)) throw error;
    return String(error.code);
  }
}

describe('mutating a key file', () => {
  it('opens the untouched file, and the fixture with its KEK from docs/keystore.md', () => {
    expect(outcome(text)).toBe('opened');
    expect(Buffer.from(unsealSecret('f', fixture.header, fixture.sealed, KEK)).toString('hex')).toBe(
      RFC8032_TEST1_SEED,
    );
  });

  it('refuses any single-character replacement that changes a value', () => {
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.integer({ min: 0x20, max: 0x7e }), (at, code) => {
        const mutated = text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1);
        const result = outcome(mutated);
        expect(result).toMatch(
          /^(opened|KEY_FILE_CORRUPT|KEY_FILE_FORMAT|KEY_FILE_VERSION|KEY_FILE_KDF|KEY_UNSEAL_FAILED)$/,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every truncation', () => {
    const end = text.trimEnd().length;
    for (let cut = 0; cut < end; cut++)
      expect(outcome(text.slice(0, cut)), `cut at ${cut}`).not.toBe('opened');
  });
});
