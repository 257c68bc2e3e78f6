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

/**
 * Matches one password at a time against many forms, bit-parallel: for each form character, the password
 * positions that continue a common run of length k are one 32-bit word per k, so a form costs about one operation
 * per character. Forms are matched forwards and backwards (a reversed identifier is found without building
 * reversed strings). Passwords over 31 characters fall back to {@link longestCommonFragment}. Reusable: `load`
 * clears only what the previous password set.
 *
 * @example new FragmentMatcher().load('Kx0BEC7q').longest(['0012bf910bec']) // 4
 */
export class FragmentMatcher {
  private readonly forward = new Int32Array(0x10000);
  private readonly backward = new Int32Array(0x10000);
  private readonly levelsA = new Int32Array(34);
  private readonly levelsB = new Int32Array(34);
  private codes: number[] = [];
  private long: { p: string; reversed: string } | null = null;

  load(password: string): this {
    for (const c of this.codes) {
      this.forward[c] = 0;
      this.backward[c] = 0;
    }
    const p = password.toLowerCase();
    this.codes = [];
    this.long = null;
    if (p.length > 31) {
      this.long = { p, reversed: [...p].reverse().join('') };
      return this;
    }
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      this.codes.push(c);
      this.forward[c] = (this.forward[c] ?? 0) | (1 << i);
      this.backward[c] = (this.backward[c] ?? 0) | (1 << (p.length - 1 - i));
    }
    return this;
  }

  /** The longest run (case-insensitive) the loaded password shares with any form, either direction. */
  longest(forms: readonly string[]): number {
    if (this.long) {
      return Math.max(
        longestCommonFragment(this.long.p, forms),
        longestCommonFragment(this.long.reversed, forms),
      );
    }
    let best = 0;
    for (const form of forms)
      best = Math.max(best, this.run(this.forward, form), this.run(this.backward, form));
    return best;
  }

  private run(masks: Int32Array, form: string): number {
    let prev = this.levelsA;
    let next = this.levelsB;
    prev.fill(0);
    next.fill(0);
    let best = 0;
    for (let j = 0; j < form.length; j++) {
      const m = masks[form.charCodeAt(j)] ?? 0;
      next[1] = m;
      let k = 1;
      if (m !== 0) {
        while (k < 32) {
          const carried = ((prev[k] ?? 0) << 1) & m;
          if (carried === 0) break;
          k++;
          next[k] = carried;
        }
        if (k > best) best = k;
      }
      for (let z = k + 1; z <= 32 && (next[z] ?? 0) !== 0; z++) next[z] = 0;
      const swap = prev;
      prev = next;
      next = swap;
    }
    return best;
  }
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
