import { describe, expect, it } from 'vitest';
import { isSignificant, poissonUpperTail } from '../../src/audit/significance.js';
import { maskPassword } from '../../src/audit/mask.js';
import { findWeakPattern } from '../../src/audit/weak-patterns.js';
import { sampleIndices } from '../../src/audit/sampling.js';
import { chiSquarePValue } from '../../src/audit/entropy.js';

describe('significance', () => {
  it('computes Poisson upper tails', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 0.5)).toBeCloseTo(1 - Math.exp(-0.5), 12);
    expect(poissonUpperTail(2, 1)).toBeCloseTo(1 - 2 * Math.exp(-1), 12);
    expect(poissonUpperTail(2000, 1000)).toBeLessThan(1e-100);
  });
  it('needs p < 1e-6 and more than twice the expectation', () => {
    expect(isSignificant(1, 1e-9)).toBe(true);
    expect(isSignificant(15, 14.2)).toBe(false);
    expect(isSignificant(1, 1e-4)).toBe(false);
    expect(isSignificant(40, 10)).toBe(true);
  });
});

describe('maskPassword', () => {
  it.each([
    ['wNADKmUL9yu5', 'w**********5'],
    ['abcd', 'a**d'],
    ['abc', '***'],
    ['', ''],
    ['pä€sword🙂', 'p*******🙂'],
  ])('%s -> %s', (pw, masked) => expect(maskPassword(pw)).toBe(masked));
});

describe('findWeakPattern', () => {
  it.each([
    ['xx7Sunset9', 'dictionary'],
    ['qwertK9', 'keyboard'],
    ['Zq1qwertK9xyzmP4', null], // a 5-symbol walk inside 16 random symbols cannot lower the score
    ['P@ssw0rd1234', 'dictionary'],
    ['Zz7wxyz9', 'sequence'],
    ['Qz3210Kx', 'sequence'],
    ['9%%%%%Q', 'repeat'],
    ['wNADKmUL9yu5', null],
  ])('%s -> %s', (pw, pattern) => expect(findWeakPattern(pw)).toBe(pattern));
});

describe('sampleIndices and chi-square', () => {
  it('samples k distinct sorted indices reproducibly', () => {
    const a = sampleIndices(1000, 50, 7);
    expect(a).toHaveLength(50);
    expect(new Set(a).size).toBe(50);
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(sampleIndices(1000, 50, 7)).toEqual(a);
    expect(sampleIndices(10, 50, 7)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('gives chi-square p-values close to the table', () => {
    expect(chiSquarePValue(55, 55)).toBeGreaterThan(0.4);
    expect(chiSquarePValue(18.31, 10)).toBeCloseTo(0.05, 2);
  });
});
