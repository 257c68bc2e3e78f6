/**
 * The strength estimator behind a small seam, so zxcvbn (4.4.2, unmaintained since 2017, backtracking regexes) can
 * be replaced without touching the policy or the auditor. zxcvbn is loaded lazily, once, on first use.
 */
import { createRequire } from 'node:module';

/** zxcvbn scores only this many characters: inputs from a supplier's file are untrusted. */
export const MAX_SCORED_LENGTH = 64;

export interface StrengthEstimate {
  /** 0 (too guessable) .. 4 (very unguessable), zxcvbn's scale. */
  score: number;
  /** log10 of the estimated number of guesses. */
  log10Guesses: number;
}

export interface StrengthEstimator {
  /**
   * Estimates one password, with words the attacker knows (identifiers, manufacturer, model) as `userInputs`.
   * Only the first {@link MAX_SCORED_LENGTH} characters are scored.
   */
  estimate(password: string, userInputs: readonly string[]): StrengthEstimate;
}

type ZxcvbnFn = (password: string, userInputs?: string[]) => { score: number; guesses_log10: number };

let zxcvbnFn: ZxcvbnFn | undefined;

function loadZxcvbn(): ZxcvbnFn {
  zxcvbnFn ??= createRequire(import.meta.url)('zxcvbn') as ZxcvbnFn;
  return zxcvbnFn;
}

/**
 * The zxcvbn estimator. Loading (about 150 ms) happens on the first `estimate`, not on import.
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
  };
}
