import { describe, expect, it } from 'vitest';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { chiSquare, chiSquareCritical } from './statistics.js';

// A fixed key makes these runs exactly repeatable: a pass today is a pass on every machine.
const key = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 ^ i);
const params = { profileId: 'dist-test', alphabet: UNAMBIGUOUS56, length: 12 };

describe('output distribution', () => {
  it('gives 1,000,000 distinct passwords for 1,000,000 serials', () => {
    const derive = createPasswordDeriver(key, params);
    const seen = new Set<string>();
    for (let i = 0; i < 1_000_000; i++) {
      const { password } = derive(`KL2301-${String(i).padStart(7, '0')}`);
      if (password === null) throw new Error(`stream exhausted at serial ${i}`);
      seen.add(password);
    }
    expect(seen.size).toBe(1_000_000);
  });

  it('passes a per-position chi-square test against uniform', () => {
    const n = UNAMBIGUOUS56.length;
    const counts = Array.from({ length: params.length }, () => new Array<number>(n).fill(0));
    const derive = createPasswordDeriver(key, params);
    for (let i = 0; i < 200_000; i++) {
      const password = derive(`SN${i}`).password ?? '';
      for (let pos = 0; pos < password.length; pos++) {
        const row = counts[pos] ?? [];
        const symbol = UNAMBIGUOUS56.indexOf(password.charAt(pos));
        row[symbol] = (row[symbol] ?? 0) + 1;
      }
    }
    const critical = chiSquareCritical(n - 1);
    for (const row of counts) expect(chiSquare(row)).toBeLessThan(critical);
  });

  it('the chi-square test does catch modulo bias (negative control)', () => {
    // Encode the same kind of uniform bytes with `b mod n` and no rejection: symbols 0..31 get 5/256, the rest 4/256.
    const n = UNAMBIGUOUS56.length;
    const counts = new Array<number>(n).fill(0);
    let x = 0x12345678;
    for (let i = 0; i < 200_000; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      const symbol = (x >>> 24) % n;
      counts[symbol] = (counts[symbol] ?? 0) + 1;
    }
    expect(chiSquare(counts)).toBeGreaterThan(chiSquareCritical(n - 1));
  });
});
