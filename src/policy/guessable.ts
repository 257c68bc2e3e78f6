/**
 * The `guessable` rule (PSTI Sch. 1 para 1(3)(d)), written once: its defaults, the character classes entropy is
 * counted over, and its checks in the order they apply. The policy runs them on one candidate; the batch audit runs
 * them on every row (with the batch's figures) and adds what only a batch shows (entropy by position).
 */
import { MIN_ENTROPY_BITS } from '../derive/index.js';

export interface GuessableThresholds {
  /** Minimum zxcvbn score 0..4. */
  minZxcvbnScore: number;
  /** Minimum entropy in bits: `len × log2(n)`. */
  minEntropyBits: number;
  /** Minimum length in characters. */
  minLength: number;
}

export const GUESSABLE_DEFAULTS: Readonly<GuessableThresholds> = {
  minZxcvbnScore: 3,
  minEntropyBits: MIN_ENTROPY_BITS,
  minLength: 8,
};

/** The character classes a password's entropy is counted over when its alphabet is not known. */
export const CHARACTER_CLASSES: ReadonlyArray<{ name: string; pattern: RegExp; size: number }> = [
  { name: 'digits', pattern: /[0-9]/, size: 10 },
  { name: 'lower', pattern: /[a-z]/, size: 26 },
  { name: 'upper', pattern: /[A-Z]/, size: 26 },
  { name: 'symbols', pattern: /[^0-9a-zA-Z]/, size: 33 },
];

/**
 * The classes `text` uses and the size of their union.
 *
 * @example classPool('ab12') // { classes: ['digits', 'lower'], size: 36 }
 */
export function classPool(text: string): { classes: string[]; size: number } {
  const used = CHARACTER_CLASSES.filter((c) => c.pattern.test(text));
  return { classes: used.map((c) => c.name), size: used.reduce((sum, c) => sum + c.size, 0) };
}

/** `length × log2(pool)`: the entropy of `length` symbols drawn uniformly from a pool (at least 2 symbols). */
export function poolEntropyBits(length: number, poolSize: number): number {
  return length * Math.log2(Math.max(poolSize, 2));
}

/** The checks, in the order they apply: the first that fails is the reason given. */
export const GUESSABLE_CHECKS = ['pin', 'short', 'low-entropy', 'zxcvbn'] as const;
export type GuessableCheck = (typeof GUESSABLE_CHECKS)[number];

export interface GuessableFigures {
  /** Length in characters (code points). */
  length: number;
  allDigits: boolean;
  entropyBits: number;
  /** What the entropy was counted over, for the reason (e.g. "over the batch's 36-symbol pool"). */
  entropyBasis?: string;
  /** zxcvbn's score, and the highest it gives a password this long, when the password was scored. */
  zxcvbn?: { score: number; ceiling: number };
}

export interface GuessableFailure {
  check: GuessableCheck;
  /** Why, without the password. */
  reason: string;
}

/**
 * The zxcvbn check alone (the audit scores a subset of rows, after the other checks). The score required is the
 * minimum, or the `ceiling` when the estimator gives no password that short more (zxcvbn prices a string with no
 * pattern by its length alone): zxcvbn is there to find patterns; strength is the entropy's to judge.
 */
export function zxcvbnFailure(
  zxcvbn: { score: number; ceiling: number },
  minScore: number,
): GuessableFailure | null {
  const required = Math.min(minScore, zxcvbn.ceiling);
  if (zxcvbn.score >= required) return null;
  return { check: 'zxcvbn', reason: `zxcvbn score ${zxcvbn.score} is under the minimum ${required}` };
}

/**
 * The first check that fails, or null. zxcvbn is judged only when `figures.zxcvbn` is given.
 *
 * @example judgeGuessable({ length: 6, allDigits: true, entropyBits: 19.9 }, GUESSABLE_DEFAULTS)
 * // { check: 'pin', reason: 'PIN-like: all digits, 19.9 bits' }
 */
export function judgeGuessable(
  figures: GuessableFigures,
  thresholds: GuessableThresholds,
): GuessableFailure | null {
  const bits = (): string => figures.entropyBits.toFixed(1);
  for (const check of GUESSABLE_CHECKS) {
    switch (check) {
      case 'pin':
        if (figures.allDigits && figures.entropyBits < thresholds.minEntropyBits)
          return { check, reason: `PIN-like: all digits, ${bits()} bits` };
        break;
      case 'short':
        if (figures.length < thresholds.minLength)
          return { check, reason: `length ${figures.length} is under the minimum ${thresholds.minLength}` };
        break;
      case 'low-entropy':
        if (figures.entropyBits < thresholds.minEntropyBits) {
          const basis = figures.entropyBasis ? ` ${figures.entropyBasis}` : '';
          return {
            check,
            reason: `entropy ${bits()} bits${basis} is under the minimum ${thresholds.minEntropyBits}`,
          };
        }
        break;
      case 'zxcvbn':
        if (figures.zxcvbn) {
          const failure = zxcvbnFailure(figures.zxcvbn, thresholds.minZxcvbnScore);
          if (failure) return failure;
        }
        break;
    }
  }
  return null;
}
