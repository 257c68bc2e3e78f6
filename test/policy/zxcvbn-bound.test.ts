import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createPasswordDeriver, NAMED_ALPHABETS } from '../../src/derive/index.js';
import {
  createPasswordPolicy,
  createZxcvbnEstimator,
  type StrengthEstimator,
} from '../../src/policy/index.js';
import { provenGuesses, scoreOfGuesses } from '../../src/policy/zxcvbn-bound.js';
import { seededPassword, seededUint32 } from '../audit/batches.js';

type Zxcvbn = (password: string, userInputs?: string[]) => { guesses: number; score: number };
const zxcvbn = createRequire(import.meta.url)('zxcvbn') as Zxcvbn;
const lists = createRequire(import.meta.url)('zxcvbn/lib/frequency_lists.js') as Record<string, string[]>;

const alphabets = Object.entries(NAMED_ALPHABETS);
const identity = { serial: 'KL2301-100001', mac: '00:12:bf:91:0b:ec' };
const names = { manufacturer: 'Acme Cameras Ltd', model: 'KL-2301 Cam' };
const userInputs = [
  'acmecamerasltd',
  'acme',
  'cameras',
  'kl2301cam',
  'kl2301',
  'Acme Cameras Ltd',
  'KL-2301 Cam',
];
userInputs.push(identity.serial, identity.mac, 'kl2301100001', '0012bf910bec');

const l33t: Record<string, string> = {
  a: '4',
  e: '3',
  i: '1',
  o: '0',
  s: '5',
  t: '7',
  g: '9',
  b: '8',
  z: '2',
};

/** Patterns zxcvbn prices low: words (plain, capitalised, reversed, l33t), walks, dates, repeats, sequences, ids. */
function patternCores(): string[] {
  const cores = new Set<string>();
  for (const list of Object.values(lists)) {
    for (const rank of [1, 2, 10, 100, 1_000, 5_000, 20_000]) {
      const word = list[rank - 1];
      if (word === undefined || word.length < 3) continue;
      cores.add(word);
      cores.add(word.charAt(0).toUpperCase() + word.slice(1));
      cores.add([...word].reverse().join(''));
      cores.add([...word].map((c) => l33t[c] ?? c).join(''));
    }
  }
  const more = [
    ...[
      'qwerty',
      'qwertyuiop',
      'asdfghjkl',
      'zxcvbnm',
      '1qaz2wsx',
      'QWERTY',
      '!@#$%^&*',
      'aoeuidhtns',
      'pyfgcrl',
    ],
    ...['7894561230', '147258369', '0147', 'mju7', 'zaq1xsw2', 'poiuytrewq'],
    ...['1987', '2013', '1999', '19871231', '31121987', '31-12-1987', '1.2.1999', '12/25/2010', '311287'],
    ...['aaaa', 'aaaaaaaaaaaa', 'abcabcabc', 'xY7xY7xY7', '1212121212', 'zzzzz', '!!!!'],
    ...['abcdefgh', 'abcdefghijkl', '13579', 'zyxwvu', 'ACEGIK', '987654', 'abc', '123', 'xyz'],
    ...['kl2301', 'KL2301-100001', '100001', '0012bf910bec', 'acme', 'cameras', 'semac', '1a43'],
    ...['p4ssw0rd', 'P@ssw0rd', 'tr0ub4dor', 'c0rrecth0rse', 'letmein', 'dragon', 'monkey1'],
    ...['constructor', '__proto__', 'hasownproperty', 'prototype', 'valueof'],
  ];
  for (const core of more) cores.add(core);
  return [...cores];
}

/** Cores with 0..10 random symbols of an alphabet around them, to sit on both sides of each score threshold. */
function adversarialSet(): string[] {
  const next = seededUint32(19);
  const out = new Set<string>();
  const cores = patternCores();
  for (const [, alphabet] of alphabets) {
    for (const length of [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) out.add(seededPassword(alphabet, length, next));
  }
  cores.forEach((core, index) => {
    out.add(core);
    const alphabet = alphabets[index % alphabets.length]?.[1] ?? '';
    for (let extra = 1; extra <= 10; extra++) {
      const random = seededPassword(alphabet, extra, next);
      const cut = next() % (extra + 1);
      out.add(random.slice(0, cut) + core + random.slice(cut));
      if (extra % 3 === 0) out.add(core + seededPassword(alphabet, 2, next) + core.slice(0, 4) + random);
    }
  });
  return [...out];
}

/** Candidates as derive makes them: every shipped alphabet, at the shortest length over 48 bits and at 12. */
function derivedSubset(perAlphabet: number): string[] {
  const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 3) & 0xff);
  const out: string[] = [];
  for (const [name, alphabet] of alphabets) {
    const shortest = Math.ceil(48 / Math.log2(alphabet.length));
    for (const length of new Set([shortest, 12])) {
      const derive = createPasswordDeriver(key, { profileId: `diff-${name}`, alphabet, length });
      for (let i = 0; i < perAlphabet; i++) {
        const { password } = derive(`KL2301-${String(i).padStart(6, '0')}`, 0);
        if (password !== null) out.push(password);
      }
    }
  }
  return out;
}

describe('provenGuesses (zxcvbn 4.4.2 lower bound)', () => {
  it('agrees with zxcvbn on every adversarial candidate, for every minimum score, on both sides of each threshold', () => {
    const candidates = adversarialSet();
    // For each required score: candidates zxcvbn puts just under it and at or over it, and how many were proven.
    const under = new Uint32Array(5);
    const over = new Uint32Array(5);
    const proven = new Uint32Array(5);
    for (const candidate of candidates) {
      const truth = zxcvbn(candidate, userInputs);
      for (let minScore = 1; minScore <= 4; minScore++) {
        const bound = provenGuesses(candidate, userInputs, minScore);
        if (truth.score === minScore - 1) under[minScore] = (under[minScore] ?? 0) + 1;
        if (truth.score >= minScore) over[minScore] = (over[minScore] ?? 0) + 1;
        if (bound === null) continue;
        proven[minScore] = (proven[minScore] ?? 0) + 1;
        expect({ candidate, minScore, guesses: truth.guesses >= bound, score: truth.score }).toEqual({
          candidate,
          minScore,
          guesses: true,
          score: Math.max(truth.score, minScore),
        });
        expect(scoreOfGuesses(bound)).toBeGreaterThanOrEqual(minScore);
      }
    }
    for (let minScore = 1; minScore <= 4; minScore++) {
      expect(under[minScore], `candidates just under score ${minScore}`).toBeGreaterThan(20);
      expect(over[minScore], `candidates at or over score ${minScore}`).toBeGreaterThan(20);
      expect(proven[minScore], `candidates proven at score ${minScore}`).toBeGreaterThan(20);
    }
  });

  it('agrees with zxcvbn on a seeded subset of derived candidates in every alphabet', () => {
    let proven = 0;
    const candidates = derivedSubset(60);
    for (const candidate of candidates) {
      const truth = zxcvbn(candidate, userInputs);
      for (let minScore = 1; minScore <= 4; minScore++) {
        const bound = provenGuesses(candidate, userInputs, minScore);
        if (bound === null) continue;
        if (minScore === 3) proven++;
        expect({ candidate, minScore, ok: truth.guesses >= bound && truth.score >= minScore }).toEqual({
          candidate,
          minScore,
          ok: true,
        });
      }
    }
    // Most derived candidates of 12 symbols need no zxcvbn at all.
    expect(proven).toBeGreaterThan(candidates.length / 3);
  });

  it('sends a word zxcvbn cannot price to zxcvbn itself', () => {
    expect(provenGuesses('Xq7constructorZ', [], 3)).toBeNull();
    expect(provenGuesses('9k__proto__Lm2w', [], 3)).toBeNull();
  });

  it('sends text outside printable ASCII to zxcvbn itself', () => {
    expect(provenGuesses('wNADKmUL9yu\u00e9', [], 3)).toBeNull();
    expect(provenGuesses('', [], 1)).toBeNull();
  });
});

describe('the policy with the proven bound', () => {
  /** zxcvbn without the cheap proof: the decision as it was made before the bound existed. */
  const full = createZxcvbnEstimator();
  const fullOnly: StrengthEstimator = { estimate: full.estimate, scoreCeiling: full.scoreCeiling };

  it.each(alphabets)('makes the same decision as zxcvbn on every candidate (%s)', (_name, alphabet) => {
    const shortest = Math.ceil(48 / Math.log2(alphabet.length));
    for (const length of new Set([shortest, 12])) {
      for (const minZxcvbnScore of [2, 3, 4]) {
        const options = { ...names, alphabet, length, minZxcvbnScore };
        const fast = createPasswordPolicy({ ...options, figures: 'bound' });
        const exact = createPasswordPolicy({ ...options, figures: 'exact' });
        const reference = createPasswordPolicy({ ...options, estimator: fullOnly });
        const next = seededUint32(length * 10 + minZxcvbnScore);
        const candidates = [
          ...adversarialSet().filter((_, i) => i % 12 === minZxcvbnScore),
          ...Array.from({ length: 40 }, () => seededPassword(alphabet, length, next)),
        ];
        for (const candidate of candidates) {
          const want = reference.check(candidate, identity);
          const got = fast.check(candidate, identity);
          const decision = (v: typeof want): unknown => [candidate, v.accepted, v.rule, v.reason];
          expect(decision(got)).toEqual(decision(want));
          if (got.zxcvbnBound) {
            expect(got.zxcvbnScore).toBeLessThanOrEqual(want.zxcvbnScore);
            expect(got.log10Guesses).toBeLessThanOrEqual(want.log10Guesses);
          } else {
            expect([got.zxcvbnScore, got.log10Guesses]).toEqual([want.zxcvbnScore, want.log10Guesses]);
          }
          // Figures for the evidence: zxcvbn's own whenever the candidate is accepted.
          const recorded = exact.check(candidate, identity);
          expect(decision(recorded)).toEqual(decision(want));
          if (recorded.accepted) expect(recorded).toEqual(want);
        }
      }
    }
  });
});
