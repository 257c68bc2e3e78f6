import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run-audit.js';
import { NAMED_ALPHABETS } from '../../src/derive/alphabet.js';
import {
  createPasswordPolicy,
  GUESSABLE_DEFAULTS,
  judgeGuessable,
  zxcvbnScoreCeiling,
} from '../../src/policy/index.js';
import { batchOf, seededPassword, seededUint32 } from '../audit/batches.js';

const identity = { serial: 'KL2301-100001', mac: '00:12:bf:91:0b:ec' };

describe('the guessable rule, written once', () => {
  it('applies its checks in one order: PIN-like before short, short before entropy, zxcvbn last', () => {
    const t = GUESSABLE_DEFAULTS;
    expect(judgeGuessable({ length: 6, allDigits: true, entropyBits: 19.9 }, t)?.check).toBe('pin');
    expect(judgeGuessable({ length: 6, allDigits: false, entropyBits: 30 }, t)?.check).toBe('short');
    expect(judgeGuessable({ length: 9, allDigits: false, entropyBits: 40 }, t)?.check).toBe('low-entropy');
    const zxcvbn = { score: 1, ceiling: 4 };
    expect(judgeGuessable({ length: 9, allDigits: false, entropyBits: 50, zxcvbn }, t)?.check).toBe('zxcvbn');
    expect(judgeGuessable({ length: 9, allDigits: false, entropyBits: 50 }, t)).toBeNull();
  });

  it('gives a candidate the policy rejects and the same row in a batch the same reason', async () => {
    const policy = createPasswordPolicy({ alphabet: '0123456789', length: 6 });
    const pin = '739512';
    const verdict = policy.check(pin, identity);
    const report = await runAudit(batchOf(1, () => pin));
    const guessable = report.rules.find((r) => r.id === 'guessable');
    expect(verdict.reason).toBe('PIN-like: all digits, 19.9 bits');
    expect(guessable?.examples[0]?.note).toBe(verdict.reason);
  });

  it('asks zxcvbn no more than it gives a password of that length (8 characters: 2)', () => {
    expect([3, 4, 6, 7, 8, 9, 10, 11, 64, 200].map(zxcvbnScoreCeiling)).toEqual([
      0, 1, 1, 2, 2, 3, 3, 4, 4, 4,
    ]);
    // 8 symbols of 94 are 52.4 bits, over the 48-bit floor: the policy accepts them unless a pattern shows.
    const printable = NAMED_ALPHABETS['printable94'] ?? '';
    const next = seededUint32(8);
    const candidates = Array.from({ length: 50 }, () => seededPassword(printable, 8, next));
    const policy = createPasswordPolicy({ alphabet: printable, length: 8 });
    const accepted = candidates.filter((c) => policy.check(c, identity).accepted);
    expect(accepted.length).toBeGreaterThanOrEqual(45);
    expect(policy.check('Password', identity).accepted).toBe(false);
  });
});
