/** The evidence store's public record shapes (inputs take camelCase; rows are returned camelCase too). */

export type ProvisioningResult = 'PASS' | 'FAIL' | 'ABORTED';

/** A timestamp as a Date or an ISO-8601 UTC string with milliseconds (`2026-11-24T23:39:01.123Z`). */
export type Timestamp = Date | string;

export interface StationInput {
  /** The station's name, unique within the file (e.g. `line1-bench3`). */
  stationId: string;
  label?: string;
}

export interface BatchInput {
  batchId: string;
  productType: string;
  profileId: string;
  profileRevision: number;
  /** Lowercase hex SHA-256 of the canonical profile (src/profiles). */
  profileHash: string;
  firmware?: string;
  /** End of the defined support period, `YYYY-MM-DD`. */
  supportEndDate: string;
}

export interface IntentInput {
  batchId: string;
  /** The canonical serial (src/derive canonicaliseSerial). */
  serial: string;
  keyId: string;
  schemeVersion: number;
  /** The accepted attempt (0..15). */
  attempt: number;
  /** Password fingerprint from src/derive createFingerprinter: never the password. */
  fingerprint: string;
  zxcvbnScore?: number;
  zxcvbnLog10Guesses?: number;
  entropyBits?: number;
  port?: string;
  stationId: string;
  operator?: string;
  /** When work on this device began; default now. */
  startedAt?: Timestamp;
  /** Set to re-provision a serial that already has a PASS under this key: why (recorded). */
  reprovisionReason?: string;
}

export interface ResultInput {
  result: ProvisioningResult;
  /** True only when the password was written and read back (or the verifier checked). PASS requires it. */
  readbackVerified: boolean;
  reasonCode?: string;
  reasonText?: string;
  finishedAt?: Timestamp;
}

export interface RejectionInput {
  batchId: string;
  serial: string;
  keyId: string;
  schemeVersion: number;
  attempt: number;
  /** The policy rule that rejected the candidate (e.g. `zxcvbn-score`, `contains-identifier`). */
  rule: string;
  /** Free text about the rule. Never the password or any part of it. */
  detail?: string;
  port?: string;
  stationId: string;
  operator?: string;
}

/** A unit refused before anything was written to it (bad or duplicate serial, already provisioned, policy). */
export interface RefusalInput {
  batchId: string;
  /** The canonical serial, or the printable form of the serial as read when it was refused for its form. */
  serial: string;
  keyId: string;
  schemeVersion: number;
  /** Stable reason code, e.g. `duplicate-serial`, `already-provisioned`, `serial-invalid`, `policy-exhausted`. */
  reasonCode: string;
  reasonText?: string;
  port?: string;
  stationId: string;
  operator?: string;
}

interface Chained {
  seq: number;
  prevHash: string;
  rowHash: string;
  recordedAt: string;
}

export interface StationRecord extends Chained {
  stationId: string;
  label: string | null;
}

export interface LineKeyRecord extends Chained {
  keyId: string;
  label: string | null;
}

export interface BatchRecord extends Chained {
  batchId: string;
  productType: string;
  profileId: string;
  profileRevision: number;
  profileHash: string;
  firmware: string | null;
  supportEndDate: string;
  /** Keep the evidence through this day: the later of 10 years from the batch and the support period end. */
  retentionUntil: string;
}

export interface EventRecord extends Chained {
  kind: 'INTENT' | 'RESULT';
  /** For a RESULT, the intent it closes. */
  intentSeq: number | null;
  batchId: string;
  serial: string;
  keyId: string;
  schemeVersion: number;
  profileId: string;
  profileRevision: number;
  profileHash: string;
  attempt: number | null;
  fingerprint: string | null;
  zxcvbnScore: number | null;
  zxcvbnLog10Guesses: number | null;
  entropyBits: number | null;
  result: ProvisioningResult | null;
  readbackVerified: boolean | null;
  reasonCode: string | null;
  reasonText: string | null;
  reprovisionReason: string | null;
  port: string | null;
  stationId: string;
  operator: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface RejectionRecord extends Chained {
  batchId: string;
  serial: string;
  keyId: string;
  schemeVersion: number;
  attempt: number;
  rule: string;
  detail: string | null;
  port: string | null;
  stationId: string;
  operator: string | null;
}

export interface CheckpointRecord {
  id: number;
  headSeq: number;
  headHash: string;
  stationId: string;
  /** Lowercase hex Ed25519 public key of the signer. */
  publicKey: string;
  reason: string;
  createdAt: string;
  /** Lowercase hex Ed25519 signature over the checkpoint message (docs/evidence.md). */
  signature: string;
}

export interface ChainHead {
  /** 0 for an empty chain. */
  seq: number;
  /** 64 zeros for an empty chain. */
  hash: string;
}
