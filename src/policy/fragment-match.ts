/**
 * Fragment matching: the longest run of characters a password shares with any identifier form (case-folded), and
 * how likely a match that long is by chance for a password drawn uniformly from an alphabet.
 */

/**
 * Length of the longest common substring of `password` (lower-cased here) and any of `forms` (already lower-case),
 * by dynamic programming over one row: O(|password| × Σ|form|), no allocation per form.
 *
 * @example longestCommonFragment('Kx0BEC7q', ['0012bf910bec']) // 4 ('0bec')
 */
export function longestCommonFragment(password: string, forms: readonly string[]): number {
  const p = password.toLowerCase();
  const m = p.length;
  let best = 0;
  const row = new Uint16Array(m + 1);
  for (const form of forms) {
    row.fill(0);
    for (let j = 0; j < form.length; j++) {
      const fc = form.charCodeAt(j);
      // Walk i downwards so row[i] still holds the previous column's value for row[i + 1].
      for (let i = m - 1; i >= 0; i--) {
        if (p.charCodeAt(i) === fc) {
          const run = (row[i] ?? 0) + 1;
          row[i + 1] = run;
          if (run > best) best = run;
        } else {
          row[i + 1] = 0;
        }
      }
    }
  }
  return best;
}

/** The probability that one case-folded password position equals `ch`, for a password drawn uniformly from `alphabet`. */
export function foldedSymbolProbabilities(alphabet: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const symbol of alphabet) {
    const folded = symbol.toLowerCase();
    counts.set(folded, (counts.get(folded) ?? 0) + 1);
  }
  const probabilities = new Map<string, number>();
  for (const [symbol, count] of counts) probabilities.set(symbol, count / alphabet.length);
  return probabilities;
}

/**
 * Upper bound on the chance that a uniformly random password of `passwordLength` symbols shares a run of at least
 * `k` characters with some form: Σ over forms and their k-windows of (positions) × Π P(symbol).
 */
export function fragmentChance(
  k: number,
  passwordLength: number,
  forms: readonly string[],
  probabilities: ReadonlyMap<string, number>,
): number {
  const positions = passwordLength - k + 1;
  if (positions <= 0) return 0;
  let total = 0;
  for (const form of forms) {
    for (let start = 0; start + k <= form.length; start++) {
      let p = 1;
      for (let i = start; i < start + k && p > 0; i++) p *= probabilities.get(form.charAt(i)) ?? 0;
      total += p;
    }
  }
  return Math.min(1, positions * total);
}
