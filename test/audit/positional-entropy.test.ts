/**
 * The 48-bit floor, one rule: a batch drawn as the policy allows passes the audit's entropy-by-position test at its
 * documented false-alarm rate, in every shipped alphabet (none named), while a planted positional bias fails.
 */
import { describe, expect, it } from 'vitest';
import { judgePositionalEntropy, uniformShortfall } from '../../src/audit/positional-entropy.js';
import { countPositions } from '../../src/audit/position-counts.js';
import { SIGNIFICANCE_LEVEL } from '../../src/audit/significance.js';
import { MIN_ENTROPY_BITS, NAMED_ALPHABETS } from '../../src/derive/alphabet.js';
import { seededPassword, seededUint32 } from './batches.js';

/** Every shipped alphabet at the shortest length its policy allows (len × log2(n) ≥ 48), judged at exactly that. */
const AT_THE_FLOOR = Object.values(NAMED_ALPHABETS).map((alphabet) => {
  const length = Math.ceil(MIN_ENTROPY_BITS / Math.log2(alphabet.length) - 1e-9);
  return { alphabet, length, bits: length * Math.log2(alphabet.length) };
});

function judge(
  passwords: string[],
  minBits: number,
  level?: number,
): ReturnType<typeof judgePositionalEntropy> {
  const group = countPositions(passwords, 1).get(passwords[0]?.length ?? 0);
  if (!group) throw new Error('no group');
  return judgePositionalEntropy(group, minBits, level);
}

/** Binomial upper tail P(X ≥ k), X ~ Bin(n, p): how surprising a count of false alarms is. */
function binomialUpperTail(k: number, n: number, p: number): number {
  let term = (1 - p) ** n;
  let sum = k <= 0 ? term : 0;
  for (let i = 1; i <= n; i++) {
    term *= ((n - i + 1) / i) * (p / (1 - p));
    if (i >= k) sum += term;
  }
  return sum;
}

describe('entropy by position at the 48-bit floor', () => {
  it('includes 12 hex digits at exactly 48.0 bits, as the issue reported', () => {
    expect(AT_THE_FLOOR.find((a) => a.alphabet === NAMED_ALPHABETS['hex'])).toMatchObject({
      length: 12,
      bits: 48,
    });
  });

  it.each(AT_THE_FLOOR)(
    'passes 2,000-row batches drawn uniformly from $alphabet at $length (the documented rate: none in 40 at 1e-6)',
    ({ alphabet, length, bits }) => {
      const next = seededUint32(alphabet.length * 1000 + length);
      for (let batch = 0; batch < 40; batch++) {
        const passwords = Array.from({ length: 2000 }, () => seededPassword(alphabet, length, next));
        const verdict = judge(passwords, bits, SIGNIFICANCE_LEVEL);
        expect(verdict.low).toBe(false);
        expect(verdict.bits).toBeGreaterThan(bits - 0.2);
      }
    },
  );

  it.each(AT_THE_FLOOR)(
    'raises false alarms at the rate it is set to ($alphabet at $length, 200 and 2,000 rows, level 0.05)',
    ({ alphabet, length, bits }) => {
      const next = seededUint32(alphabet.length * 7 + length);
      for (const rows of [200, 2000]) {
        const trials = 200;
        let alarms = 0;
        for (let t = 0; t < trials; t++) {
          const passwords = Array.from({ length: rows }, () => seededPassword(alphabet, length, next));
          if (judge(passwords, bits, 0.05).low) alarms++;
        }
        // At most the level, up to chance: a count this high would turn up by chance less than once in 10,000.
        expect(binomialUpperTail(alarms, trials, 0.05)).toBeGreaterThan(1e-4);
      }
    },
  );

  it.each(AT_THE_FLOOR)(
    'fails a planted 2-bit bias in $alphabet at $length (one position)',
    ({ alphabet, length, bits }) => {
      const next = seededUint32(alphabet.length + length);
      // Position 2 draws from a quarter of the alphabet: 2 bits fewer than the policy allows.
      const quarter = alphabet.slice(0, Math.max(1, Math.round(alphabet.length / 4)));
      for (const rows of [200, 2000]) {
        const passwords = Array.from({ length: rows }, () => {
          const pw = seededPassword(alphabet, length, next);
          return `${pw.slice(0, 2)}${seededPassword(quarter, 1, next)}${pw.slice(3)}`;
        });
        const verdict = judge(passwords, bits);
        expect(verdict.low).toBe(true);
        expect(verdict.bits).toBeLessThan(bits - 1.5);
      }
    },
  );

  it('fails a 2-bit bias spread over every position of a hex batch at 48 bits', () => {
    const next = seededUint32(99);
    // Each position: symbol 0 with probability 0.21, the others share the rest: 12 × 3.83 = 46 bits.
    const skewed = (): string => {
      const u = next() / 2 ** 32;
      return u < 0.21 ? '0' : seededPassword('123456789abcdef', 1, next);
    };
    const passwords = Array.from({ length: 2000 }, () => Array.from({ length: 12 }, skewed).join(''));
    const verdict = judge(passwords, 48);
    expect(verdict.low).toBe(true);
    expect(verdict.bits).toBeLessThan(46.5);
  });

  it('passes a batch well above the minimum with a fixed first symbol (a stem costs its bits, no more)', () => {
    const next = seededUint32(5);
    const alphabet = NAMED_ALPHABETS['unambiguous56'] ?? '';
    const passwords = Array.from({ length: 2000 }, () => `K${seededPassword(alphabet, 11, next)}`);
    const verdict = judge(passwords, 48);
    expect(verdict.low).toBe(false);
    expect(verdict.bits).toBeGreaterThan(11 * Math.log2(56) - 0.5);
  });

  it('computes the exact shortfall of a uniform position, which tends to (k − 1) / (2 n ln 2)', () => {
    // Two symbols, two rows: counts (2,0) or (0,2) with probability 1/2 (entropy 0), (1,1) with 1/2 (entropy 1).
    expect(uniformShortfall(2, 2).mean).toBeCloseTo(0.5, 12);
    expect(uniformShortfall(2, 2).variance).toBeCloseTo(0.25, 12);
    const near = uniformShortfall(199 * 16, 16);
    expect(near.mean / (15 / (2 * 199 * 16 * Math.LN2))).toBeCloseTo(1, 2);
  });
});
