/**
 * Audits a whole batch against each rule of PSTI Sch. 1 para 1. Every rule is O(n) or O(n log n); zxcvbn runs in
 * worker threads on the rows the pre-screen flags plus a random sample; hash and scheme hypotheses are searched on
 * a sample and confirmed on the whole batch.
 */
import { GUESSABLE_DEFAULTS, publicNameForms } from '../policy/index.js';
import { computeStats } from './batch-stats.js';
import { checkCounter } from './counter-rule.js';
import { checkGuessable } from './guessable-rule.js';
import { checkIdentifierDerived } from './identifier-rule.js';
import { checkPublicInfo } from './public-info-rule.js';
import { sampleIndices } from './sampling.js';
import { checkUnique } from './unique-rule.js';
import { Violations } from './violations.js';
import {
  RULES,
  type AuditBatch,
  type AuditOptions,
  type AuditProgress,
  type AuditReport,
  type RuleId,
  type RuleResult,
} from './audit-types.js';

export const AUDIT_DEFAULTS = {
  ...GUESSABLE_DEFAULTS,
  zxcvbnSampleSize: 5_000,
  maxFlaggedScored: 100_000,
  rowTimeLimitMs: 500,
  workers: 2,
  hypothesisSampleSize: 512,
  seed: 1,
  maxExamples: 5,
} as const;

/**
 * Runs every rule over the batch; `progress` hears each rule (then the statistics) as it starts, and the steps
 * within the long ones.
 *
 * @example
 * const report = await runAudit({ passwords, lines, identifiers: { serial, mac } }, { manufacturer: 'Acme' });
 * report.passed; // false when any rule fails
 */
export async function runAudit(
  batch: AuditBatch,
  options: AuditOptions = {},
  progress?: AuditProgress,
): Promise<AuditReport> {
  const o = { ...AUDIT_DEFAULTS, ...stripUndefined(options) };
  const names = [o.manufacturer, o.brand, o.model, ...(o.productNames ?? [])];
  const newViolations = (): Violations => new Violations(batch, o.maxExamples);
  const results = new Map<RuleId, { violations: Violations; findings: string[] }>();
  const timingsMs: Record<string, number> = {};
  let lap = performance.now();
  const stages = [...RULES.map((rule) => rule.id), 'stats'];
  const time = (name: string): void => {
    const now = performance.now();
    timingsMs[name] = Math.round(now - lap);
    lap = now;
    const next = stages.indexOf(name) + 1;
    if (next < stages.length) progress?.stage(stages[next] ?? '', next, stages.length);
  };
  progress?.stage(stages[0] ?? '', 0, stages.length);

  const unique = newViolations();
  const uniqueFindings = checkUnique(batch, unique);
  results.set('unique', { violations: unique, findings: uniqueFindings.findings });
  time('unique');

  const counter = newViolations();
  results.set('counter', { violations: counter, findings: checkCounter(batch, counter) });
  time('counter');

  const publicInfo = newViolations();
  results.set('public-info', { violations: publicInfo, findings: checkPublicInfo(batch, names, publicInfo) });
  time('public-info');

  const sample = sampleIndices(batch.passwords.length, o.hypothesisSampleSize, o.seed);
  const identifier = newViolations();
  results.set('identifier-derived', {
    violations: identifier,
    findings: checkIdentifierDerived(batch, sample, identifier, progress?.step),
  });
  time('identifier-derived');

  const guessable = newViolations();
  const outcome = await checkGuessable(
    batch,
    {
      thresholds: {
        minZxcvbnScore: o.minZxcvbnScore,
        minEntropyBits: o.minEntropyBits,
        minLength: o.minLength,
      },
      names: publicNameForms(names),
      zxcvbnSampleSize: o.zxcvbnSampleSize,
      maxFlaggedScored: o.maxFlaggedScored,
      rowTimeLimitMs: o.rowTimeLimitMs,
      workers: o.workers,
      seed: o.seed,
    },
    guessable,
    progress?.step,
  );
  results.set('guessable', { violations: guessable, findings: outcome.findings });
  time('guessable');

  const rules: RuleResult[] = RULES.map((rule) => {
    const r = results.get(rule.id);
    const violations = r?.violations.count ?? 0;
    return {
      ...rule,
      status: violations > 0 ? 'fail' : 'pass',
      violations,
      examples: r?.violations.examples ?? [],
      findings: r?.findings ?? [],
    };
  });
  const stats = computeStats(batch, {
    duplicates: uniqueFindings.duplicateRows,
    distinct: uniqueFindings.distinct,
    entropyBits: outcome.entropyBits,
    zxcvbnScores: outcome.scoreHistogram,
  });
  time('stats');
  return {
    rules,
    stats,
    timingsMs,
    scoring: { ...outcome.scoring, seed: o.seed, hypothesisSample: sample.length },
    malformed: [],
    passed: rules.every((r) => r.status === 'pass'),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
