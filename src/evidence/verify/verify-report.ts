/** What `evidence verify` is asked and what it reports (verify.ts). */
import type { StepProgress } from '../../progress/index.js';
import type { ChainHead } from '../types.js';

export interface VerifyOptions {
  /** A head printed earlier by `evidence head`: `HASH` or `SEQ:HASH`. The chain must still contain it. */
  expectHead?: string;
  /** Lowercase hex Ed25519 public keys the checkpoints must be signed with (pins the station). */
  stationPublicKeys?: readonly string[];
  /** Stop collecting after this many problems (the first is the one that matters); default 50. */
  maxProblems?: number;
  /**
   * Hears the work as it goes: `chain` (records walked, of the head's seq) every few thousand records, then
   * `integrity` while SQLite's integrity_check is still running.
   */
  onProgress?: StepProgress;
}

export type ProblemKind = 'integrity' | 'trigger' | 'schema' | 'chain' | 'checkpoint' | 'head' | 'compliance';

export interface VerifyProblem {
  kind: ProblemKind;
  /** The chain position concerned, when there is one. */
  seq?: number;
  message: string;
}

export interface VerifyReport {
  file: string;
  ok: boolean;
  schemaVersion: number;
  records: number;
  head: ChainHead;
  problems: VerifyProblem[];
  /** True when more problems existed than were collected. */
  truncatedProblems: boolean;
  checkpoints: {
    total: number;
    valid: number;
    lastSignedSeq: number;
    /** The signers' public keys (lowercase hex). */
    signers: string[];
    /** The same signers with their station key ids, as `keys info` and `provision` show them. */
    signerKeys: { keyId: string; publicKey: string }[];
  };
  /** True when the checkpoints had to be signed by given keys (`stationPublicKeys`); else any signer is accepted. */
  signerPinned: boolean;
  /** Records after the last valid checkpoint: not covered by any signature. */
  unsigned: number;
  /** Where the `expectHead` anchor was found, when one was given. */
  anchor?: { seq: number; hash: string; found: boolean };
  /**
   * Compliance rows (product records, batch links, issued statements) and how many of them have no seal because
   * the file predates seals (schema < 5, read-only: the next write open seals them).
   */
  compliance: { rows: number; unsealed: number };
}
