/** Entropy estimates for a batch: per password from the character classes it uses, per position from the batch. */

const CLASSES: ReadonlyArray<[string, RegExp, number]> = [
  ['digits', /[0-9]/, 10],
  ['lower', /[a-z]/, 26],
  ['upper', /[A-Z]/, 26],
  ['symbols', /[^0-9a-zA-Z]/, 33],
];

/** The character classes a string uses and the size of their union (digits 10, lower 26, upper 26, other 33). */
export function classPool(text: string): { classes: string[]; size: number } {
  const classes: string[] = [];
  let size = 0;
  for (const [name, re, count] of CLASSES) {
    if (re.test(text)) {
      classes.push(name);
      size += count;
    }
  }
  return { classes, size: Math.max(size, 1) };
}

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
