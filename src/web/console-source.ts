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
  /** The station whose chain holds it (a central store, where several stations share one view). */
  station?: string;
}

/** A port of the line: the unit in hand (an intent without a result) and the last verdict. */
export interface PortState {
  port: string;
  /** The station the port belongs to (a central store), and the batch that station is running. */
  station?: string;
  batchId?: string | null;
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
  /** The chain position this state reflects (over several stations: the sum of their heads); grows with the store. */
  headSeq: number;
  /** A sentence for a banner when the store cannot be read now (the state shown is the last one read). */
  notice?: string | null;
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
  /** The stations that made the batch, with their counts (a central store). */
  stations?: { stationId: string; tally: Tally }[];
}

export interface BatchFacts extends BatchSummary {
  perHour: TimeBucket[];
  failureReasons: { reasonCode: string; count: number }[];
  perPort: { port: string; pass: number; fail: number; aborted: number }[];
}

export interface ResultPage {
  results: Verdict[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

export interface DeviceHistory {
  serial: string;
  /** Each event, with the station whose chain holds it when the store has several (`origin`). */
  events: (EventRecord & { origin?: string })[];
  rejections: RejectionRecord[];
}

export interface ChainStatus {
  /** Null while the first verification is still running. */
  ok: boolean | null;
  /** The head the status was computed at. */
  checkedSeq: number;
  problems: string[];
  running: boolean;
  /** Each station's chain (a central store), by station id. */
  stations?: { stationId: string; ok: boolean | null; checkedSeq: number; problems: string[] }[];
}

/** Both sides of a conflict: where and when each unit was recorded. */
export interface ConflictSide {
  stationId: string;
  seq: number;
  serial: string;
  batchId: string;
  at: string;
}

/** The same serial PASSed at two stations, or one password fingerprint given to two serials. */
export interface ConflictView {
  kind: 'serial' | 'fingerprint';
  profileId: string;
  first: ConflictSide;
  second: ConflictSide;
  foundAt: string;
}

/** Records the central store refused at ingest (a forked or edited chain), named. */
export interface FindingView {
  stationId: string;
  seq: number | null;
  kind: string;
  detail: string;
  foundAt: string;
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
  /** A batch's results, newest first, `limit` at a time, older than `before` (a page's `nextBefore`) when given. */
  batchResults(batchId: string, options: { before?: string; limit: number }): Promise<ResultPage>;
  deviceHistory(serial: string): Promise<DeviceHistory>;
  /** Serials starting with `prefix`, at most `limit`, in order. */
  findSerials(prefix: string, limit: number): Promise<string[]>;
  listCheckpoints(): Promise<CheckpointRecord[]>;
  chainStatus(): Promise<ChainStatus>;
  /** The latest issued statement of a batch as a PDF, or undefined when none was issued. */
  statementPdf(batchId: string): Promise<Uint8Array | undefined>;
  /** The batch's evidence pack as zip bytes (identical to `credline pack --out FILE.zip` of the same store). */
  evidencePackZip(batchId: string): Promise<Uint8Array>;
  /** Why this store's packs cannot be downloaded here, as a sentence; undefined when they can. */
  readonly packUnavailable?: string;
  /** Conflicts across stations and refused records: only a store several stations push to has them. */
  conflicts?(): Promise<{ conflicts: ConflictView[]; findings: FindingView[] }>;
  close(): Promise<void>;
}
