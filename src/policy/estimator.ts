/**
 * The strength estimator behind a small seam, so zxcvbn (4.4.2, unmaintained since 2017, backtracking regexes) can
 * be replaced without touching the policy or the auditor. zxcvbn is loaded lazily, once, on first use.
 */
import { createRequire } from 'node:module';
import { provenGuesses, scoreOfGuesses } from './zxcvbn-bound.js';

/** zxcvbn scores only this many characters: inputs from a supplier's file are untrusted. */
export const MAX_SCORED_LENGTH = 64;

export interface StrengthEstimate {
  /** 0 (too guessable) .. 4 (very unguessable), zxcvbn's scale. */
  score: number;
  /** log10 of the estimated number of guesses. */
  log10Guesses: number;
  /** True when both figures are a proven lower bound on the estimator's own, not the estimate itself. */
  bound?: boolean;
}

export interface StrengthEstimator {
  /**
   * Estimates one password, with words the attacker knows (identifiers, manufacturer, model) as `userInputs`.
   * Only the first {@link MAX_SCORED_LENGTH} characters are scored.
   */
  estimate(password: string, userInputs: readonly string[]): StrengthEstimate;
  /** The highest score the estimator gives any password of `length` characters. */
  scoreCeiling(length: number): number;
  /**
   * A cheap proof that `estimate` would score the password at least `minScore`: lower bounds on its figures
   * (`bound: true`), or null when that cannot be shown and `estimate` must decide. Optional.
   */
  proveScore?(password: string, userInputs: readonly string[], minScore: number): StrengthEstimate | null;
}

type ZxcvbnFn = (password: string, userInputs?: string[]) => { score: number; guesses_log10: number };

let zxcvbnFn: ZxcvbnFn | undefined;

function loadZxcvbn(): ZxcvbnFn {
  zxcvbnFn ??= createRequire(import.meta.url)('zxcvbn') as ZxcvbnFn;
  return zxcvbnFn;
}

/**
 * The highest score zxcvbn 4.4.2 gives a password of `length` characters: a string with no pattern is priced at
 * 10^length guesses (its brute-force cardinality is 10) and scored 0..4 below 10^3, 10^6, 10^8, 10^10 guesses (each
 * + 5): at most 2 for 8 characters, 3 for 9 or 10, 4 from 11. zxcvbn judges patterns, not alphabets.
 *
 * @example zxcvbnScoreCeiling(8) // 2
 */
export function zxcvbnScoreCeiling(length: number): number {
  const scored = Math.min(length, MAX_SCORED_LENGTH);
  // 10^length guesses score above s only when over 10^thresholds[s] + 5.
  const thresholds = [3, 6, 8, 10];
  const below = thresholds.findIndex((t) => scored <= t);
  return below < 0 ? 4 : below;
}

/**
 * The zxcvbn estimator. Loading (about 150 ms) happens on the first `estimate`, not on import; `proveScore` reads
 * zxcvbn's word lists (about 100 ms, once) and then costs about 1/50 of `estimate` (docs/policy.md).
 *
 * @example
 * const estimator = createZxcvbnEstimator();
 * estimator.estimate('acme2024', ['acme', 'KL2301-100001']).score; // 0
 */
export function createZxcvbnEstimator(): StrengthEstimator {
  return {
    estimate(password, userInputs) {
      const result = loadZxcvbn()(password.slice(0, MAX_SCORED_LENGTH), [...userInputs]);
      return { score: result.score, log10Guesses: result.guesses_log10 };
    },
    scoreCeiling: zxcvbnScoreCeiling,
    proveScore(password, userInputs, minScore) {
      const guesses = provenGuesses(password.slice(0, MAX_SCORED_LENGTH), userInputs, minScore);
      if (guesses === null) return null;
      return { score: scoreOfGuesses(guesses), log10Guesses: Math.log(guesses) / Math.log(10), bound: true };
    },
  };
}
