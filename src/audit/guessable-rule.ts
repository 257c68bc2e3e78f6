/**
 * `guessable` (PSTI Sch. 1 para 1(3)(d)): not otherwise guessable. Per row, the policy's checks in the policy's
 * order (src/policy/guessable.ts), with the entropy counted over the union of the character classes the batch uses.
 * Per length group of 200+ rows: entropy by position under the minimum beyond chance (a fixed stem or a biased
 * encoder; positional-entropy.ts). zxcvbn, with the row's identifiers and the product names as user inputs, scores
 * the rows the exact pre-screen flags plus a random sample, judged as the policy judges a candidate.
 */
import {
  classPool,
  judgeGuessable,
  poolEntropyBits,
  zxcvbnFailure,
  zxcvbnScoreCeiling,
  type GuessableThresholds,
} from '../policy/index.js';
import type { AuditBatch, AuditProgress, ScoringSummary } from './audit-types.js';
import { countPositions } from './position-counts.js';
import { judgePositionalEntropy, type PositionalEntropy } from './positional-entropy.js';
import { SIGNIFICANCE_LEVEL } from './significance.js';
import { sampleIndices } from './sampling.js';
import { findWeakPattern, type WeakPattern } from './weak-patterns.js';
import { scoreWithZxcvbn, type ScoreRequest } from './zxcvbn-pool.js';
import type { Violations } from './violations.js';

export interface GuessableSettings {
  thresholds: GuessableThresholds;
  names: string[];
  zxcvbnSampleSize: number;
  maxFlaggedScored: number;
  rowTimeLimitMs: number;
  workers: number;
  seed: number;
}

export interface GuessableOutcome {
  findings: string[];
  scoring: Omit<ScoringSummary, 'hypothesisSample' | 'seed'>;
  /** zxcvbn score histogram 0..4 over scored rows. */
  scoreHistogram: number[];
  /** Estimated entropy per row (bits), for the statistics. */
  entropyBits: Float64Array;
}

const POSITIONAL_MIN_ROWS = 200;
/** Rows between two reports of progress (a power of two: tested with a mask). */
const PROGRESS_ROWS = 8192;

export async function checkGuessable(
  batch: AuditBatch,
  settings: GuessableSettings,
  violations: Violations,
  step?: AuditProgress['step'],
): Promise<GuessableOutcome> {
  const n = batch.passwords.length;
  const findings: string[] = [];
  const entropy = new Float64Array(n);
  const reasons = new Map<string, number>();
  const fail = (index: number, reason: string, note: string): void => {
    if (!violations.has(index)) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    violations.mark(index, note);
  };

  // Entropy by position per length group of 200+ rows, judged against chance (positional-entropy.ts).
  const groups = new Map<number, PositionalEntropy>();
  for (const group of countPositions(batch.passwords, POSITIONAL_MIN_ROWS).values()) {
    const verdict = judgePositionalEntropy(group, settings.thresholds.minEntropyBits);
    groups.set(group.length, verdict);
    findings.push(
      `length ${group.length} (${group.rows} rows, ${verdict.symbols} symbols): ${verdict.bits.toFixed(1)} bits by ` +
        (verdict.low
          ? `position, under the minimum ${settings.thresholds.minEntropyBits} by more than chance allows`
          : `position against the minimum ${settings.thresholds.minEntropyBits}, within what chance allows`) +
        ` (${verdict.allowanceBits.toFixed(2)} bits under it at p < ${SIGNIFICANCE_LEVEL.toExponential(0)})`,
    );
  }

  // A row's symbols are judged by the batch's character classes: in a hex batch an all-digit row is chance.
  const seen = new Set<string>();
  for (const password of batch.passwords) for (const ch of password) seen.add(ch);
  const pool = classPool([...seen].join('')).size;
  const entropyBasis = `over the batch's ${pool}-symbol pool`;
  const flaggedRows: number[] = [];
  const patternCounts = new Map<WeakPattern, number>();
  batch.passwords.forEach((password, index) => {
    if (step && (index & (PROGRESS_ROWS - 1)) === 0) step('pre-screen', index, n);
    const length = [...password].length;
    const classBits = poolEntropyBits(length, pool);
    const group = groups.get(password.length);
    entropy[index] = group === undefined ? classBits : Math.min(classBits, group.bits);
    const failure = judgeGuessable(
      { length, allDigits: /^[0-9]+$/.test(password), entropyBits: classBits, entropyBasis },
      settings.thresholds,
    );
    if (failure) fail(index, failure.check, failure.reason);
    else if (group?.low)
      fail(
        index,
        'low-positional-entropy',
        `its length group carries ${group.bits.toFixed(1)} bits by position`,
      );
    const pattern = findWeakPattern(password);
    if (pattern) {
      patternCounts.set(pattern, (patternCounts.get(pattern) ?? 0) + 1);
      flaggedRows.push(index);
    }
  });

  // zxcvbn: flagged rows (capped) and a random sample of the rest.
  const scoredFlagged = flaggedRows.slice(0, settings.maxFlaggedScored);
  const sampleSize = n <= 5_000 ? n : settings.zxcvbnSampleSize;
  const flaggedSet = new Set(scoredFlagged);
  const sampled = sampleIndices(n, sampleSize, settings.seed).filter((i) => !flaggedSet.has(i));
  const toScore = [...scoredFlagged, ...sampled];
  // A password that repeats is scored once (with its first row's identifiers as user inputs): duplicates are the
  // `unique` rule's business, and a batch of one default repeated a million times must not cost a million scores.
  const requestOf = new Map<string, number>();
  const requests: ScoreRequest[] = [];
  const requestIndex = toScore.map((row) => {
    const password = batch.passwords[row] ?? '';
    let index = requestOf.get(password);
    if (index === undefined) {
      index = requests.length;
      requestOf.set(password, index);
      requests.push({
        row,
        password,
        userInputs: [
          ...settings.names,
          ...Object.values(batch.identifiers)
            .map((column) => column.at(row) ?? '')
            .filter((v) => v.length > 0),
        ],
      });
    }
    return index;
  });
  step?.('zxcvbn', 0, requests.length);
  const result = await scoreWithZxcvbn(requests, {
    workers: settings.workers,
    rowTimeLimitMs: settings.rowTimeLimitMs,
    ...(step ? { onScored: (scored: number) => step('zxcvbn', scored, requests.length) } : {}),
  });
  const timedOut = new Set(result.timedOut);
  const timedOutRows = toScore.filter(
    (row, k) => timedOut.has(requests[requestIndex[k] ?? 0]?.row ?? -1) && row >= 0,
  );
  const histogram = [0, 0, 0, 0, 0];
  let sampleFailuresUnflagged = 0;
  let zxcvbnFailures = 0;
  toScore.forEach((row, k) => {
    const score = result.scores[requestIndex[k] ?? 0] ?? -1;
    if (score < 0) return;
    histogram[score] = (histogram[score] ?? 0) + 1;
    const length = [...(batch.passwords[row] ?? '')].length;
    const failure = zxcvbnFailure(
      { score, ceiling: zxcvbnScoreCeiling(length) },
      settings.thresholds.minZxcvbnScore,
    );
    if (failure) {
      zxcvbnFailures++;
      if (k >= scoredFlagged.length) sampleFailuresUnflagged++;
      fail(row, failure.check, failure.reason);
    }
  });

  findings.unshift(...[...reasons].map(([reason, count]) => `${count} rows: ${reason}`));
  findings.push(
    `zxcvbn scored ${toScore.length - timedOutRows.length} rows (${scoredFlagged.length} flagged by the pre-screen, ` +
      `${sampled.length} at random); ${zxcvbnFailures} scored under the minimum (${settings.thresholds.minZxcvbnScore}, or what zxcvbn gives their length at most)`,
  );
  if (sampled.length > 0 && sampled.length < n - scoredFlagged.length) {
    const unscored = n - toScore.length;
    const rate = sampleFailuresUnflagged / sampled.length;
    findings.push(
      `${unscored} rows were not scored by zxcvbn (pre-screen only); the random sample suggests about ` +
        `${Math.round(rate * unscored)} of them would score under the minimum`,
    );
  }
  if (flaggedRows.length > scoredFlagged.length) {
    findings.push(`${flaggedRows.length - scoredFlagged.length} flagged rows beyond the cap were not scored`);
  }
  if (timedOutRows.length > 0) {
    findings.push(
      `${timedOutRows.length} rows exceeded the ${settings.rowTimeLimitMs} ms zxcvbn limit and were not scored ` +
        `(lines ${timedOutRows
          .slice(0, 5)
          .map((r) => batch.lines[r])
          .join(', ')}${timedOutRows.length > 5 ? ', ...' : ''})`,
    );
  }
  if (patternCounts.size > 0) {
    findings.push(
      `pre-screen flags: ${[...patternCounts].map(([p, c]) => `${p} ${c}`).join(', ')} (flagged rows are scored, not failed)`,
    );
  }
  return {
    findings,
    scoreHistogram: histogram,
    entropyBits: entropy,
    scoring: {
      rows: n,
      preScreened: n,
      flagged: flaggedRows.length,
      zxcvbnScored: toScore.length - timedOutRows.length,
      zxcvbnSampled: sampled.length,
      zxcvbnTimedOut: timedOutRows.map((r) => batch.lines[r] ?? r + 1),
      sampleFailuresUnflagged,
    },
  };
}
