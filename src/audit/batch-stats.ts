/** Batch statistics for reports: charset, lengths, per-position entropy and chi-square, entropy per password. */
import type { AuditBatch, BatchStats } from './audit-types.js';
import { printable } from '../errors/printable.js';
import { classPool } from '../policy/index.js';
import { chiSquarePValue, chiSquareUniform, positionEntropyBits } from './entropy.js';
import { bucketSymbol, countPositions, groupBuckets, positionRow } from './position-counts.js';

export function computeStats(
  batch: AuditBatch,
  extra: { duplicates: number; distinct: number; entropyBits: Float64Array; zxcvbnScores: number[] },
): BatchStats {
  const lengths: Record<string, number> = {};
  const symbols = new Set<string>();
  for (const pw of batch.passwords) {
    lengths[pw.length] = (lengths[pw.length] ?? 0) + 1;
    for (const ch of pw) symbols.add(ch);
  }
  const alphabet = [...symbols].sort().join('');
  let sum = 0;
  let min = Infinity;
  for (const bits of extra.entropyBits) {
    sum += bits;
    min = Math.min(min, bits);
  }
  const n = batch.passwords.length;
  return {
    rows: n,
    duplicates: extra.duplicates,
    distinctPasswords: extra.distinct,
    lengths,
    charset: {
      classes: classPool(alphabet).classes,
      symbols: symbols.size,
      alphabet: printable(alphabet, 200),
    },
    meanEntropyBits: n > 0 ? sum / n : 0,
    minEntropyBits: n > 0 ? min : 0,
    positions: positionStats(batch.passwords),
    zxcvbnScores: extra.zxcvbnScores,
  };
}

function positionStats(passwords: readonly string[]): BatchStats['positions'] {
  const groups = [...countPositions(passwords, 1).values()].sort((a, b) => b.rows - a.rows);
  const group = groups[0];
  if (!group) return null;
  const buckets = groupBuckets(group);
  const k = buckets.length;
  const entropyBits: number[] = [];
  const chiSquare: number[] = [];
  const counts: Record<string, number[]> = {};
  for (const b of buckets) counts[bucketSymbol(b)] = [];
  for (let p = 0; p < group.length; p++) {
    const row = positionRow(group, p, buckets);
    entropyBits.push(positionEntropyBits(row, k));
    chiSquare.push(chiSquareUniform(row, k));
    row.forEach((c, i) => counts[bucketSymbol(buckets[i] ?? 0)]?.push(c));
  }
  const worst = Math.max(...chiSquare);
  return {
    length: group.length,
    rows: group.rows,
    entropyBits,
    chiSquare,
    degreesOfFreedom: Math.max(k - 1, 0),
    worstPValue: Math.min(1, chiSquarePValue(worst, k - 1) * group.length),
    counts,
  };
}
