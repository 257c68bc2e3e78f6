/** Test helpers: Pearson's chi-square statistic and its critical value (Wilson-Hilferty approximation). */
export function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

/** The chi-square value exceeded with probability ~1e-6 for `df` degrees of freedom (z = 4.753). */
export function chiSquareCritical(df: number, z = 4.753): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}
