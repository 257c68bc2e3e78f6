/**
 * Is a length group's entropy by position under the minimum, beyond chance? A batch drawn as the policy allows (each
 * position uniform over an alphabet of k symbols, L·log2(k) ≥ the minimum) must pass; a fixed stem or a biased
 * encoder must fail. docs/audit.md states the test; in short:
 *
 * - The figure is the plug-in (observed-frequency) entropy of each position, summed: an estimate that falls short of
 *   the true entropy by chance alone, the more so the fewer rows per symbol.
 * - Under the boundary case (every position uniform over the group's k symbols, exactly at the minimum) the
 *   shortfall's mean and variance are computed exactly from the multinomial distribution of a position's counts
 *   (binomial sums; above 200 rows per symbol the chi-square limit, shortfall = χ²(k − 1) / (2 N ln 2) bits), and
 *   its tail is taken from a chi-square matched to those moments (Satterthwaite, Wilson-Hilferty quantile).
 * - A group is low when its figure is under the minimum by more than that tail allows at `level` (default 10⁻⁶,
 *   the audit's significance level), widened by the first-order spread a non-uniform position adds.
 */
import { chiSquareUpperQuantile, normalUpperQuantile } from './entropy.js';
import { groupBuckets, positionRow, type PositionCounts } from './position-counts.js';
import { SIGNIFICANCE_LEVEL } from './significance.js';

export interface PositionalEntropy {
  length: number;
  rows: number;
  /** Symbols the group uses. */
  symbols: number;
  /** The estimate of the group's entropy by position in bits: the plug-in sum plus its expected shortfall. */
  bits: number;
  /** How far under the minimum the plug-in sum may fall by chance before the group is judged low. */
  allowanceBits: number;
  low: boolean;
}

/** Rows per symbol from which the chi-square limit replaces the exact moments. */
const ASYMPTOTIC_ROWS_PER_SYMBOL = 200;

/**
 * @example
 * const verdict = judgePositionalEntropy(group, 48);
 * if (verdict.low) fail(`${verdict.bits.toFixed(1)} bits by position`);
 */
export function judgePositionalEntropy(
  group: PositionCounts,
  minBits: number,
  level = SIGNIFICANCE_LEVEL,
): PositionalEntropy {
  const buckets = groupBuckets(group);
  const k = buckets.length;
  const n = group.rows;
  let plugin = 0;
  let firstOrderVariance = 0;
  for (let p = 0; p < group.length; p++) {
    let h = 0;
    let h2 = 0;
    let kinds = 0;
    for (const count of positionRow(group, p, buckets)) {
      if (count <= 0) continue;
      kinds++;
      const bits = Math.log2(count / n);
      h -= (count / n) * bits;
      h2 += (count / n) * bits * bits;
    }
    plugin += h;
    // Var(−log2 p(X)) / n, less the part counting noise alone gives a uniform position.
    firstOrderVariance += Math.max(0, h2 - h * h - (kinds - 1) / (n * Math.LN2 ** 2)) / n;
  }
  const shortfall = uniformShortfall(n, k);
  const mean = group.length * shortfall.mean;
  const variance = group.length * shortfall.variance;
  let allowance = mean;
  if (variance > 0 && mean > 0) {
    const dof = (2 * mean * mean) / variance;
    const scale = variance / (2 * mean);
    const chance = scale * chiSquareUpperQuantile(level, dof) - mean;
    const spread = normalUpperQuantile(level) * Math.sqrt(firstOrderVariance);
    allowance += Math.hypot(chance, spread);
  }
  const ceiling = group.length * Math.log2(Math.max(k, 1));
  return {
    length: group.length,
    rows: n,
    symbols: k,
    bits: Math.min(plugin + mean, ceiling),
    allowanceBits: allowance,
    low: plugin < minBits - allowance,
  };
}

const shortfalls = new Map<string, { mean: number; variance: number }>();

/**
 * Mean and variance, in bits, of how far one position's plug-in entropy falls under log2(k) when `n` rows are
 * uniform over `k` symbols. With S = Σ c ln c over the symbols' counts c, the shortfall is (ln k − ln n + S/n) / ln 2;
 * each c is Binomial(n, 1/k), and two counts are dependent (c2 given c1 = a is Binomial(n − a, 1/(k − 1))).
 */
export function uniformShortfall(n: number, k: number): { mean: number; variance: number } {
  if (k < 2) return { mean: 0, variance: 0 };
  const key = `${n}/${k}`;
  const known = shortfalls.get(key);
  if (known) return known;
  let result: { mean: number; variance: number };
  if (n / k >= ASYMPTOTIC_ROWS_PER_SYMBOL) {
    const unit = 1 / (2 * n * Math.LN2);
    result = { mean: (k - 1) * unit, variance: 2 * (k - 1) * unit * unit };
  } else {
    const logFactorials = logFactorialTable(n);
    const one = binomialWindow(n, 1 / k, logFactorials);
    let m1 = 0;
    let m2 = 0;
    let cross = 0;
    one.pmf.forEach((weight, i) => {
      const f = xLnX(one.from + i);
      m1 += weight * f;
      m2 += weight * f * f;
      if (f === 0) return;
      const other = binomialWindow(n - (one.from + i), 1 / (k - 1), logFactorials);
      let given = 0;
      other.pmf.forEach((w, j) => (given += w * xLnX(other.from + j)));
      cross += weight * f * given;
    });
    const meanS = k * m1;
    const varianceS = k * (m2 - m1 * m1) + k * (k - 1) * (cross - m1 * m1);
    result = {
      mean: (Math.log(k) - Math.log(n) + meanS / n) / Math.LN2,
      variance: Math.max(0, varianceS) / (n * Math.LN2) ** 2,
    };
  }
  shortfalls.set(key, result);
  return result;
}

function xLnX(c: number): number {
  return c > 0 ? c * Math.log(c) : 0;
}

function logFactorialTable(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) table[i] = (table[i - 1] ?? 0) + Math.log(i);
  return table;
}

/** Binomial(n, p) probabilities over the counts within 14 standard deviations of the mean (the rest is < 1e-40). */
function binomialWindow(n: number, p: number, logFactorials: Float64Array): { from: number; pmf: number[] } {
  if (p >= 1) return { from: n, pmf: [1] };
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  const from = Math.max(0, Math.floor(mean - 14 * sd - 5));
  const to = Math.min(n, Math.ceil(mean + 14 * sd + 5));
  const pmf: number[] = [];
  const lf = (i: number): number => logFactorials[i] ?? 0;
  for (let c = from; c <= to; c++) {
    pmf.push(Math.exp(lf(n) - lf(c) - lf(n - c) + c * Math.log(p) + (n - c) * Math.log1p(-p)));
  }
  return { from, pmf };
}
