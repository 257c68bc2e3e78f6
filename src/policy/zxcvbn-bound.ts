/**
 * A proven lower bound on zxcvbn 4.4.2's guesses, cheap enough to run on every candidate, so that zxcvbn itself
 * runs only where the bound cannot prove the score the policy requires. The argument is in docs/policy.md.
 */
import { patternBounds } from './zxcvbn-patterns.js';

/** zxcvbn's MIN_GUESSES_BEFORE_GROWING_SEQUENCE: a sequence of l matches adds 10000^(l−1). */
const GROWING_SEQUENCE = 10_000;
/** guesses_to_score: score s needs at least SCORE_GUESSES[s] (10^3, 10^6, 10^8, 10^10, each + DELTA 5). */
const SCORE_GUESSES = [0, 1e3 + 5, 1e6 + 5, 1e8 + 5, 1e10 + 5];

/** The dynamic programme's two rows, reused (allocating per candidate fragments the C heap). */
const rows: [Float64Array, Float64Array] = [new Float64Array(66), new Float64Array(66)];

/** zxcvbn's score for a number of guesses (time_estimates.js guesses_to_score). */
export function scoreOfGuesses(guesses: number): number {
  let score = 0;
  while (score < 4 && guesses >= (SCORE_GUESSES[score + 1] ?? Infinity)) score++;
  return score;
}

/**
 * A number no greater than the guesses zxcvbn 4.4.2 returns for `password` with `userInputs`, when that number
 * already reaches score `minScore`; null when the bound falls short (or zxcvbn must be asked: a character outside
 * printable ASCII, or a word zxcvbn cannot price), and the caller must run zxcvbn.
 *
 * zxcvbn's result is `l!·Π guesses(mᵢ) + 10000^(l−1)` for some sequence m₁…m_l of matches covering the password
 * (brute force included). The minimum of that over every sequence of the substrings' lower bounds is below it;
 * sequences so long that 10000^(l−1) alone reaches the score are left out.
 *
 * @example provenGuesses('wNADKmUL9yu5', ['acme'], 3) // a number ≥ 1e8 + 5
 */
export function provenGuesses(
  password: string,
  userInputs: readonly string[],
  minScore: number,
): number | null {
  const target = SCORE_GUESSES[Math.max(0, Math.min(4, minScore))] ?? Infinity;
  const n = password.length;
  if (n === 0 || n > 64 || !/^[\x20-\x7e]+$/.test(password)) return null;
  if (target === 0) return 1;
  const bounds = patternBounds(password, userInputs);
  if (bounds === null) return null;
  // best[k] = the least product of l lower bounds covering password[0..k), for the current l.
  let best = rows[0].fill(Infinity, 0, n + 1);
  let next = rows[1];
  best[0] = 1;
  let least = Infinity;
  let factorial = 1;
  for (let l = 1; l <= n; l++) {
    factorial *= l;
    const additive = GROWING_SEQUENCE ** (l - 1);
    if (additive + factorial >= target) {
      least = Math.min(least, additive + factorial);
      break;
    }
    next[0] = Infinity;
    for (let k = 1; k <= n; k++) {
      let m = Infinity;
      for (let i = 0; i < k; i++) {
        const before = best[i] ?? Infinity;
        if (before === Infinity) continue;
        const product = before * (bounds[i * n + k - 1] ?? 0);
        if (product < m) m = product;
      }
      next[k] = m;
    }
    [best, next] = [next, best];
    const covering = best[n] ?? Infinity;
    if (covering !== Infinity) least = Math.min(least, factorial * covering + additive);
    if (least < target) return null;
  }
  return least >= target ? least : null;
}
