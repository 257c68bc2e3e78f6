/**
 * What the zxcvbn pool and its worker threads exchange. Each thread loads a scorer module (zxcvbn by default) and
 * answers one job (a chunk of rows) at a time; before scoring row i of a job it stores i + 1 in the shared progress
 * counter (0 when idle), which the pool's watchdog reads to find a row that runs past the time limit.
 */
import type { StrengthEstimate } from '../policy/index.js';

export interface ScoreJob {
  passwords: string[];
  inputs: string[][];
}

/** Per row of a job: score at 2i, log10 guesses at 2i + 1. */
export type ScoreReply = Float64Array;

/** Where a thread's scorer comes from: a module URL exporting `createScorer(data)`, and its data. */
export interface ScorerSource {
  url: string;
  data?: unknown;
}

export interface ScoreThreadData {
  /** One Int32: the row of the current job being scored, 1-based; 0 when idle. */
  progress: SharedArrayBuffer;
  scorer: ScorerSource;
}

export type Scorer = (password: string, userInputs: string[]) => StrengthEstimate;

/** The shape of a scorer module. */
export interface ScorerModule {
  createScorer(data: unknown): Scorer;
}
