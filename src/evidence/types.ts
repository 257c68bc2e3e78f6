/** The evidence store's public record shapes (inputs take camelCase; rows are returned camelCase too). */
import type {
  BATCH_TERMS_TYPE,
  BATCH_TYPE,
  ChainedRecordOf,
  EVENT_TYPE,
  LINE_KEY_TYPE,
  REJECTION_TYPE,
  STATION_TYPE,
} from './chain/record-types.js';

export type ProvisioningResult = NonNullable<EventRecord['result']>;

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
  /** Set to re-provision a serial that already has a PASS within its product (any key): why (recorded). */
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

/** The records the store returns: derived from the column tables (chain/record-types.ts), camelCase. */
export type StationRecord = ChainedRecordOf<typeof STATION_TYPE>;
export type LineKeyRecord = ChainedRecordOf<typeof LINE_KEY_TYPE>;
export type BatchRecord = ChainedRecordOf<typeof BATCH_TYPE>;
export type EventRecord = ChainedRecordOf<typeof EVENT_TYPE>;
export type RejectionRecord = ChainedRecordOf<typeof REJECTION_TYPE>;
export type BatchTermsRecord = ChainedRecordOf<typeof BATCH_TERMS_TYPE>;

/** What a batch is bound to besides its profile (EvidenceStore.bindBatch). */
export interface BatchTermsInput {
  batchId: string;
  /** The line key the batch's passwords are derived under. */
  keyId: string;
  /** The key is the published test-vector key or a key file marked demo. */
  testKey: boolean;
  /** The password alphabet's symbols, in order, and the password length. */
  alphabet: string;
  passwordLength: number;
  /** The end of the support period asked for, `YYYY-MM-DD`: a later one than recorded is an extension. */
  supportEndDate?: string;
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
