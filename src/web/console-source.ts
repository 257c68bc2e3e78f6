/**
 * What the console reads, and nothing more: a small read interface over an evidence store. The local SQLite store
 * implements it (sqlite-source.ts); a central store can implement the same interface and plug in unchanged. Every
 * shape here is safe to show: no password, key, verifier or fingerprint is part of it.
 */
import type { BatchRecord, CheckpointRecord, EventRecord, RejectionRecord } from '../evidence/index.js';

/** PASS/FAIL/ABORTED counts. `open` counts intents without a result yet (units in hand, or a stopped station). */
export interface Tally {
  pass: number;
  fail: number;
  aborted: number;
  open: number;
}

/** One result (the verdict of one unit), as the line view and the failure lists show it. */
export interface Verdict {
  seq: number;
  serial: string;
  port: string;
  result: 'PASS' | 'FAIL' | 'ABORTED';
  reasonCode: string | null;
  reasonText: string | null;
  at: string;
  batchId: string;
}

/** A port of the line: the unit in hand (an intent without a result) and the last verdict. */
export interface PortState {
  port: string;
  inHand: { serial: string; since: string; attempt: number | null } | null;
  last: Verdict | null;
  tally: Tally;
}

export interface LineState {
  /** The batch of the newest event: the batch the line is running. */
  batchId: string | null;
  ports: PortState[];
  tally: Tally;
  /** Results recorded in the minute before `now`. */
  devicesPerMinute: number;
  recentFailures: Verdict[];
  /** The chain position this state reflects. */
  headSeq: number;
}

export interface TimeBucket {
  /** ISO-8601 UTC start of the hour. */
  start: string;
  pass: number;
  fail: number;
}

export interface BatchSummary {
  batch: BatchRecord;
  tally: Tally;
  firstAt: string | null;
  lastAt: string | null;
  /** Statements of compliance issued for the batch (date of issue, retain-until), oldest first. */
  statements: { id: number; dateOfIssue: string; retainUntil: string; issuedAt: string }[];
}

export interface BatchFacts extends BatchSummary {
  perHour: TimeBucket[];
  failureReasons: { reasonCode: string; count: number }[];
  perPort: { port: string; pass: number; fail: number; aborted: number }[];
}

export interface ResultPage {
  results: Verdict[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

export interface DeviceHistory {
  serial: string;
  events: EventRecord[];
  rejections: RejectionRecord[];
}

export interface ChainStatus {
  /** Null while the first verification is still running. */
  ok: boolean | null;
  /** The head the status was computed at. */
  checkedSeq: number;
  problems: string[];
  running: boolean;
}

/**
 * The console's view of one store. Every read is asynchronous, so that a store behind a network connection (the
 * central PostgreSQL) can implement it as it is.
 *
 * @example
 * const source = openSqliteSource('line1.db');
 * await source.refresh();
 * console.log((await source.lineState(new Date())).tally);
 */
export interface ConsoleSource {
  /** A short human name of the store (shown in the page header). */
  readonly name: string;
  /** Reads what was recorded since the last call; returns true when anything changed. Cheap when nothing did. */
  refresh(): Promise<boolean>;
  lineState(now: Date): Promise<LineState>;
  listBatches(): Promise<BatchSummary[]>;
  batchFacts(batchId: string): Promise<BatchFacts | undefined>;
  /** A batch's results, newest first, `limit` at a time, older than `before` (a seq) when given. */
  batchResults(batchId: string, options: { before?: number; limit: number }): Promise<ResultPage>;
  deviceHistory(serial: string): Promise<DeviceHistory>;
  /** Serials starting with `prefix`, at most `limit`, in order. */
  findSerials(prefix: string, limit: number): Promise<string[]>;
  listCheckpoints(): Promise<CheckpointRecord[]>;
  chainStatus(): Promise<ChainStatus>;
  /** The latest issued statement of a batch as a PDF, or undefined when none was issued. */
  statementPdf(batchId: string): Promise<Uint8Array | undefined>;
  /** The batch's evidence pack as zip bytes (identical to `credline pack --out FILE.zip` of the same store). */
  evidencePackZip(batchId: string): Promise<Uint8Array>;
  close(): Promise<void>;
}
