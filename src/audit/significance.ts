/**
 * When is a count of suspicious rows more than chance? One test for every rule that matches fragments: a finding is
 * reported only when, under the chance model, a count at least this large has probability below 1e-6 (Poisson
 * upper tail) and the count is more than twice what chance predicts. docs/audit.md states the models.
 */

export const SIGNIFICANCE_LEVEL = 1e-6;

/** P(X ≥ observed) for X ~ Poisson(expected), computed in log space (no overflow for large counts). */
export function poissonUpperTail(observed: number, expected: number): number {
  if (observed <= 0) return 1;
  if (expected <= 0) return 0;
  // Sum the pmf from `observed` upwards until terms vanish; each term ratio is expected / (k + 1).
  let logTerm = observed * Math.log(expected) - expected - logFactorial(observed);
  let sum = 0;
  for (let k = observed; k < observed + 10_000; k++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (term < sum * 1e-15 && k > expected) break;
    logTerm += Math.log(expected) - Math.log(k + 1);
  }
  return Math.min(1, sum);
}

function logFactorial(n: number): number {
  if (n < 2) return 0;
  if (n < 256) {
    let sum = 0;
    for (let i = 2; i <= n; i++) sum += Math.log(i);
    return sum;
  }
  // Stirling with the 1/(12n) correction: exact to ~1e-10 relative here.
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n);
}

/**
 * True when `observed` suspicious rows are significantly more than the `expected` chance count.
 *
 * @example isSignificant(1, 1e-9) // true: one row that chance would show once in a billion batches
 * @example isSignificant(15, 14.2) // false
 */
export function isSignificant(observed: number, expected: number, level = SIGNIFICANCE_LEVEL): boolean {
  return observed > 2 * expected && poissonUpperTail(observed, expected) < level;
}
