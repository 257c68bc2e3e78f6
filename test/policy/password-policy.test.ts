import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPasswordPolicy } from '../../src/policy/index.js';
import type { StrengthEstimator } from '../../src/policy/index.js';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';

const identity = { serial: 'KL2301-100001', mac: '00:12:bf:91:0b:ec', imei: '356938035643809' };
const policy = createPasswordPolicy({ manufacturer: 'Acme Cameras Ltd', model: 'KL-2301 Cam' });

describe('createPasswordPolicy', () => {
  it('accepts the derivation test vector and reports its figures', () => {
    const verdict = policy.check('wNADKmUL9yu5', identity);
    expect(verdict.accepted).toBe(true);
    expect(verdict.rule).toBeUndefined();
    expect(verdict.zxcvbnScore).toBe(4);
    expect(verdict.entropyBits).toBeCloseTo(12 * Math.log2(56), 6);
    expect(verdict.log10Guesses).toBeGreaterThan(10);
  });

  it.each([
    ['admin', 'public-info'],
    ['Password2024!', 'public-info'],
    ['juantech', 'public-info'],
    ['acmeXq7Lp9zR', 'public-info'],
    ['x9Kq100001Lp', 'identifier-derived'],
    ['Hq7bf910becz', 'identifier-derived'],
    ['Qz3569380356', 'identifier-derived'],
    ['Qz2301Xk7pLm', 'public-info'], // the model number
    ['9083465398e3', 'identifier-derived'], // the IMEI reversed, fragment of it
    ['123456789012', 'guessable'],
    ['aB3x', 'guessable'],
    ['Zx7qRt2kWm', 'guessable'], // 10 symbols of 56: 58 bits, passes; see next
  ])('judges %s under %s', (candidate, rule) => {
    const verdict = createPasswordPolicy({
      manufacturer: 'Acme Cameras Ltd',
      model: 'KL-2301 Cam',
      minEntropyBits: 60,
    }).check(candidate, identity);
    expect(verdict.accepted).toBe(false);
    expect(verdict.rule).toBe(rule);
    expect(verdict.reason).toBeTruthy();
    expect(verdict.reason).not.toContain(candidate);
    expect(verdict.reason?.toLowerCase()).not.toContain(candidate.toLowerCase());
  });

  it('finds windows of unkeyed hashes of an identifier (Thomson: SHA-1 of the serial, hex upper)', () => {
    const verdict = policy.check('742DA831D2', { serial: 'CP0615313039' });
    expect(verdict).toMatchObject({ accepted: false, rule: 'identifier-derived' });
    expect(verdict.reason).toContain('sha1(serial');
    // An MD5 window of the MAC written as 12 upper-case hex digits, offset 7, base64.
    const md5 = createHashBase64('0012BF910BEC').slice(7, 19);
    expect(policy.check(md5, identity)).toMatchObject({ accepted: false, rule: 'identifier-derived' });
  });

  it('keeps the estimator behind its interface, passing identifiers and names as user inputs', () => {
    const seen: string[][] = [];
    const fake: StrengthEstimator = {
      estimate: (_pw, inputs) => {
        seen.push([...inputs]);
        return { score: 1, log10Guesses: 5 };
      },
      scoreCeiling: () => 4,
    };
    const verdict = createPasswordPolicy({ estimator: fake, manufacturer: 'Acme' }).check(
      'wNADKmUL9yu5',
      identity,
    );
    expect(verdict).toMatchObject({ accepted: false, rule: 'guessable', zxcvbnScore: 1 });
    expect(seen[0]).toEqual(expect.arrayContaining(['acme', 'KL2301-100001', '00:12:bf:91:0b:ec']));
  });

  it('accepts credline-derived passwords for any key (property, 300 devices per key)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        const derive = createPasswordDeriver(key, {
          profileId: 'acme-cam',
          alphabet: UNAMBIGUOUS56,
          length: 12,
        });
        let rejected = 0;
        for (let i = 0; i < 300; i++) {
          const serial = `KL2301-${100000 + i}`;
          const mac = `0012bf${(0x910000 + i).toString(16)}`;
          const verdict = policy.check(derive(serial).password ?? '', { serial, mac });
          if (!verdict.accepted) rejected++;
        }
        // Chance rejections are bounded by the 1e-3 chance limit per rule and level.
        expect(rejected).toBeLessThanOrEqual(3);
      }),
      { numRuns: 5 },
    );
  });
});

import { createHash } from 'node:crypto';
function createHashBase64(text: string): string {
  return createHash('md5').update(text).digest('base64');
}

describe('createPasswordPolicy on hostile input', () => {
  it.each([
    ['empty', ''],
    ['very long', 'Zq7'.repeat(4000)],
    ['control characters', 'ab\u0000cd\u0007ef\u001bgh'],
    ['non-ASCII', 'pä€sword🙂Ωx'],
    ['lone surrogate', 'abc\ud800def12345'],
    ['regex metacharacters', '(a+)+$[^]*\\'],
  ])('judges %s input without throwing or echoing it', (_name, candidate) => {
    const verdict = policy.check(candidate, {
      serial: candidate.slice(0, 20) || 'X',
      mac: 'not a mac',
      imei: '',
    });
    expect(typeof verdict.accepted).toBe('boolean');
    expect(Number.isFinite(verdict.entropyBits)).toBe(true);
    if (candidate.length >= 4) expect(verdict.reason ?? '').not.toContain(candidate);
  });
});
