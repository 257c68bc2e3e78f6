/** The shapes the auditor reads and writes. */
import type { TextValues } from './text-column.js';

export type RuleId = 'unique' | 'counter' | 'public-info' | 'identifier-derived' | 'guessable';

/** A batch in columns: `passwords[i]` belongs to the device whose identifiers are `identifiers[name][i]`. */
export interface AuditBatch {
  passwords: string[];
  /** Source line of each row (CSV line number, or serials-file line), for reports. */
  lines: number[];
  /**
   * Identifier columns by name (`serial`, `mac`, `imei`, `ssid`, ...); '' where a row has none. A string array, or
   * a compact TextColumn (a CSV's columns).
   */
  identifiers: Record<string, TextValues>;
  /**
   * Rows per line key id, when known (derived under a key, or a CSV with a `key_id` column): the uniqueness finding
   * names the keys its passwords were derived under.
   */
  keys?: Map<string, number>;
}

/** Who answers for a failing audit, as the product record names them: the duty, its owner and escalation point. */
/** What runAudit reports as it goes (the CLI's progress line). */
export interface AuditProgress {
  /** A rule (then the statistics) starts: stage `index` of `count`. */
  stage(name: string, index: number, count: number): void;
  /**
   * Within the current rule: `done` of `total` of one of its steps over the rows (`fragments`, `hash windows`,
   * `pre-screen`, `zxcvbn`), every few thousand rows.
   */
  step(step: string, done: number, total?: number): void;
}

export interface AuditAccountable {
  product: string;
  duty: string;
  owner: string;
  escalation: string;
}

export interface AuditOptions {
  /** Minimum zxcvbn score 0..4 (default 3). */
  minZxcvbnScore?: number;
  /** Minimum entropy in bits (default 48). */
  minEntropyBits?: number;
  /** Minimum length in characters (default 8). */
  minLength?: number;
  manufacturer?: string;
  brand?: string;
  model?: string;
  productNames?: readonly string[];
  /** Rows scored by zxcvbn at random besides the pre-screen's flagged rows (default 5,000; every row if n ≤ 5,000). */
  zxcvbnSampleSize?: number;
  /** At most this many pre-screen-flagged rows are scored (default 100,000); the rest count as flagged only. */
  maxFlaggedScored?: number;
  /** Per-row time limit for zxcvbn in ms (default 500): a hostile row is abandoned, not waited for. */
  rowTimeLimitMs?: number;
  /** zxcvbn worker threads (default 2). */
  workers?: number;
  /** Rows of the sample on which unkeyed-hash and known-scheme hypotheses are searched (default 512). */
  hypothesisSampleSize?: number;
  /** Seed of every random sample (default 1): the report states it. */
  seed?: number;
  /** Examples kept per rule (default 5). */
  maxExamples?: number;
}

/** What was audited, so that a report is tied to the exact input. */
export interface AuditInput {
  /** For people: the CSV's path, or "derived from FILE (profile P)" (escaped: it may come from outside). */
  source: string;
  /** SHA-256 of the input file's bytes (the CSV, or the serials file), lowercase hex. */
  sha256: string;
  /** The file's data rows: audited and malformed (not the header, not blank lines). */
  rows: number;
  /** A CSV's field delimiter, and whether it was detected from the header rather than given. */
  delimiter?: { char: string; detected: boolean };
}

export interface RuleExample {
  line: number;
  /** The password itself: reports mask it unless asked not to. */
  password: string;
  /** What is wrong with it, without the password. */
  note: string;
}

export interface RuleResult {
  id: RuleId;
  title: string;
  /** The paragraph of PSTI Sch. 1 para 1 the rule enforces. */
  law: string;
  status: 'pass' | 'fail';
  /** Rows that break the rule. */
  violations: number;
  examples: RuleExample[];
  /** Evidence and the thresholds applied, one sentence each, without passwords. */
  findings: string[];
}

export interface ScoringSummary {
  rows: number;
  /** Rows every cheap check ran over (all of them). */
  preScreened: number;
  /** Rows the pre-screen flagged (dictionary, keyboard, sequence, repeat, all-digit, short). */
  flagged: number;
  /** Rows scored by zxcvbn: flagged ones (up to the cap) and the random sample. */
  zxcvbnScored: number;
  zxcvbnSampled: number;
  /** Rows abandoned at the per-row time limit. */
  zxcvbnTimedOut: number[];
  /** zxcvbn failures among sampled rows the pre-screen did not flag, and the estimate over all unscored rows. */
  sampleFailuresUnflagged: number;
  seed: number;
  hypothesisSample: number;
}

export interface BatchStats {
  rows: number;
  duplicates: number;
  distinctPasswords: number;
  lengths: Record<string, number>;
  /** Character classes present and the distinct symbols seen. */
  charset: { classes: string[]; symbols: number; alphabet: string };
  /** Mean per-password estimated entropy in bits (class pool, capped by positional entropy). */
  meanEntropyBits: number;
  minEntropyBits: number;
  /** For the most common length: Shannon entropy per position (Miller-Madow) and chi-square against uniform. */
  positions: {
    length: number;
    rows: number;
    entropyBits: number[];
    chiSquare: number[];
    degreesOfFreedom: number;
    /** p-value of the worst position's chi-square (Wilson-Hilferty approximation). */
    worstPValue: number;
    /** symbol -> count per position, for the chart. */
    counts: Record<string, number[]>;
  } | null;
  zxcvbnScores: number[];
}

export interface AuditReport {
  rules: RuleResult[];
  stats: BatchStats;
  scoring: ScoringSummary;
  /** Input rows that could not be read, with their line numbers (filled by the input reader). */
  malformed: { line: number; message: string }[];
  passed: boolean;
  /** Wall time of each phase in ms. */
  timingsMs: Record<string, number>;
}

export const RULES: ReadonlyArray<{ id: RuleId; title: string; law: string }> = [
  { id: 'unique', title: 'no two devices share a password', law: 'PSTI Sch. 1 para 1(2)(a)' },
  { id: 'counter', title: 'not based on incremental counters', law: 'PSTI Sch. 1 para 1(3)(a)' },
  {
    id: 'public-info',
    title: 'not based on publicly available information',
    law: 'PSTI Sch. 1 para 1(3)(b)',
  },
  {
    id: 'identifier-derived',
    title: 'not derived from product identifiers without a key',
    law: 'PSTI Sch. 1 para 1(3)(c)',
  },
  { id: 'guessable', title: 'not otherwise guessable', law: 'PSTI Sch. 1 para 1(3)(d)' },
];
