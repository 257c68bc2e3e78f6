/** Entropy by position for the batch statistics, and the tail probabilities and quantiles the tests use. */

/**
 * Shannon entropy of one position's symbol counts in bits, with the Miller-Madow bias correction
 * (+ (K - 1) / (2 N ln 2)), capped at log2 of the symbols available.
 */
export function positionEntropyBits(counts: Iterable<number>, available: number): number {
  let total = 0;
  let kinds = 0;
  const values: number[] = [];
  for (const c of counts) {
    if (c <= 0) continue;
    values.push(c);
    total += c;
    kinds++;
  }
  if (total === 0) return 0;
  let h = 0;
  for (const c of values) h -= (c / total) * Math.log2(c / total);
  h += (kinds - 1) / (2 * total * Math.LN2);
  return Math.min(h, Math.log2(Math.max(available, 1)));
}

/** Pearson's chi-square of counts against a uniform distribution over `k` symbols (k - 1 degrees of freedom). */
export function chiSquareUniform(counts: readonly number[], k: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0 || k < 2) return 0;
  const expected = total / k;
  let chi = 0;
  let seen = 0;
  for (const c of counts) {
    chi += (c - expected) ** 2 / expected;
    seen++;
  }
  chi += (k - seen) * expected; // symbols never seen
  return chi;
}

/** Upper-tail p-value of a chi-square statistic (Wilson-Hilferty normal approximation). */
export function chiSquarePValue(chi: number, dof: number): number {
  if (dof <= 0) return 1;
  const z = ((chi / dof) ** (1 / 3) - (1 - 2 / (9 * dof))) / Math.sqrt(2 / (9 * dof));
  return 0.5 * erfc(z / Math.SQRT2);
}

/** The z with P(Z > z) = `p` for a standard normal Z (bisection on erfc; p in (0, 0.5]). */
export function normalUpperQuantile(p: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (0.5 * erfc(mid / Math.SQRT2) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The value a chi-square variable with `dof` degrees of freedom exceeds with probability `p` (Wilson-Hilferty). */
export function chiSquareUpperQuantile(p: number, dof: number): number {
  const z = normalUpperQuantile(p);
  const a = 2 / (9 * dof);
  return dof * Math.max(0, 1 - a + z * Math.sqrt(a)) ** 3;
}

function erfc(x: number): number {
  // Numerical Recipes erfc (Chebyshev), relative error < 1.2e-7.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
