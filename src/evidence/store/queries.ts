/**
 * Read-side queries of the evidence store. All are indexed lookups except the listings, which stream or scan.
 */
import type Database from 'better-sqlite3';
import { usageError } from '../../errors/credline-error.js';
import { GENESIS_HASH } from '../chain/canonical.js';
import { chainTypesOf } from '../chain/chain-rows.js';
import { headQuerySql } from '../chain/chain-sql.js';
import { EventFeed } from './event-feed.js';
import { BATCH_TERMS_TYPE, COMPLIANCE_SEAL_TYPE } from '../chain/record-types.js';
import {
  toBatchRecord,
  toBatchTermsRecord,
  toCheckpointRecord,
  toEventRecord,
  toLineKeyRecord,
  toRejectionRecord,
  toStationRecord,
} from './rows.js';
import type {
  BatchRecord,
  BatchTermsRecord,
  ChainHead,
  CheckpointRecord,
  EventRecord,
  LineKeyRecord,
  RejectionRecord,
  StationRecord,
} from '../types.js';

export interface EventFilter {
  batchId?: string;
  serial?: string;
  /** ISO-8601 UTC: events recorded at or after it. */
  since?: string;
  result?: 'PASS' | 'FAIL' | 'ABORTED';
  limit?: number;
}

export interface StoreStats {
  head: ChainHead;
  schemaVersion: number;
  stations: number;
  lineKeys: number;
  batches: { batchId: string; intents: number; pass: number; fail: number; aborted: number; open: number }[];
  events: number;
  rejections: number;
  /** Compliance rows sealed into the chain (0 in a file from before seals). */
  complianceSeals: number;
  checkpoints: number;
  /** Chained records after the last checkpoint (not covered by any signature). */
  unsigned: number;
}

/** A row as SQLite returns it: column name → value. */
export type Row = Record<string, unknown>;

/**
 * The WHERE terms for intents with the fingerprint `@fingerprint`: the prefix term is what the index of migration 4
 * holds (`substr(fingerprint, 1, 16)`, so SQLite can use it), the full compare decides. A file not yet migrated
 * (opened read-only) answers through its full-fingerprint index instead.
 */
export const INTENT_WITH_FINGERPRINT =
  "kind = 'INTENT' AND substr(fingerprint, 1, 16) = substr(@fingerprint, 1, 16) AND fingerprint = @fingerprint";

/** An entry of serialHistory: an event or a policy rejection, saying which. */
export type SerialHistoryEntry =
  ({ record: 'event' } & EventRecord) | ({ record: 'rejection' } & RejectionRecord);

export class EvidenceQueries {
  protected readonly db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Reads for a watcher of this store (the web console): events by seq, a change mark, result pages, serials. */
  eventFeed(): EventFeed {
    return new EventFeed(this.db);
  }

  /** The chain head: the last record's seq and row_hash (0 and 64 zeros when empty). Anchor it outside. */
  head(): ChainHead {
    const row = this.#get(headQuerySql(chainTypesOf(this.db))) as
      { seq: number; row_hash: string } | undefined;
    return row ? { seq: row.seq, hash: row.row_hash } : { seq: 0, hash: GENESIS_HASH };
  }

  getStation(stationId: string): StationRecord | undefined {
    const row = this.#get('SELECT * FROM stations WHERE station_id = ?', stationId);
    return row && toStationRecord(row);
  }

  getLineKey(keyId: string): LineKeyRecord | undefined {
    const row = this.#get('SELECT * FROM line_keys WHERE key_id = ?', keyId);
    return row && toLineKeyRecord(row);
  }

  getBatch(batchId: string): BatchRecord | undefined {
    const row = this.#get('SELECT * FROM batches WHERE batch_id = ?', batchId);
    return row && toBatchRecord(row);
  }

  /**
   * The batch's terms in force (its line key, password alphabet and length, support period end): the latest
   * batch-terms record, or undefined when none was recorded (a new batch, or a file from before batch terms).
   */
  getBatchTerms(batchId: string): BatchTermsRecord | undefined {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version < BATCH_TERMS_TYPE.sinceVersion) return undefined;
    const row = this.#get('SELECT * FROM batch_terms WHERE batch_id = ? ORDER BY seq DESC LIMIT 1', batchId);
    return row && toBatchTermsRecord(row);
  }

  /** The line key of a batch's first event or rejection, if any (how a batch from before batch terms is bound). */
  protected firstKeyOfBatch(batchId: string): string | undefined {
    const first = (table: string): { seq: number; key_id: string } | undefined =>
      this.#get(`SELECT seq, key_id FROM ${table} WHERE batch_id = ? ORDER BY seq LIMIT 1`, batchId) as
        { seq: number; key_id: string } | undefined;
    const [a, b] = [first('provisioning_events'), first('policy_rejections')];
    return (a && b ? (a.seq < b.seq ? a : b) : (a ?? b))?.key_id;
  }

  listBatches(): BatchRecord[] {
    return this.#all('SELECT * FROM batches ORDER BY seq').map(toBatchRecord);
  }

  getEvent(seq: number): EventRecord | undefined {
    const row = this.#get('SELECT * FROM provisioning_events WHERE seq = ?', seq);
    return row && toEventRecord(row);
  }

  /** The stored row_hash of an event (a primary-key lookup). */
  protected rowHashOf(seq: number): string | undefined {
    return (
      this.#get('SELECT row_hash FROM provisioning_events WHERE seq = ?', seq) as
        { row_hash: string } | undefined
    )?.row_hash;
  }

  /** The result event that closed an intent, if any. */
  resultOf(intentSeq: number): EventRecord | undefined {
    const row = this.#get('SELECT * FROM provisioning_events WHERE intent_seq = ?', intentSeq);
    return row && toEventRecord(row);
  }

  /** The latest PASS result for a serial under a line key, or undefined. */
  findPass(serial: string, keyId: string): EventRecord | undefined {
    const row = this.#get(
      `SELECT * FROM provisioning_events WHERE serial = ? AND key_id = ? AND result = 'PASS' ORDER BY seq DESC LIMIT 1`,
      serial,
      keyId,
    );
    return row && toEventRecord(row);
  }

  /**
   * The latest PASS for a serial within its product (profile id), under any line key: a serial is unique within
   * its profile id, so a unit that passed under one key is already provisioned for every other.
   */
  findPassInProduct(serial: string, profileId: string): EventRecord | undefined {
    const row = this.#get(
      `SELECT * FROM provisioning_events WHERE serial = ? AND profile_id = ? AND result = 'PASS' ORDER BY seq DESC LIMIT 1`,
      serial,
      profileId,
    );
    return row && toEventRecord(row);
  }

  /** The seq and key of the latest PASS for a serial within its product: the cheap form of findPassInProduct. */
  protected passInProduct(serial: string, profileId: string): { seq: number; key_id: string } | undefined {
    return this.#get(
      `SELECT seq, key_id FROM provisioning_events WHERE serial = ? AND profile_id = ? AND result = 'PASS' ORDER BY seq DESC LIMIT 1`,
      serial,
      profileId,
    ) as { seq: number; key_id: string } | undefined;
  }

  /** The first event of another serial with this fingerprint, if any. */
  protected fingerprintOfOtherSerial(
    fingerprint: string,
    serial: string,
  ): { serial: string; seq: number } | undefined {
    return this.#get(
      `SELECT serial, seq FROM provisioning_events WHERE ${INTENT_WITH_FINGERPRINT} AND serial <> @serial ORDER BY seq LIMIT 1`,
      { fingerprint, serial },
    ) as { serial: string; seq: number } | undefined;
  }

  /** The result closing an intent, as `{ seq, result }` (the cheap form of resultOf). */
  protected resultSeqOf(intentSeq: number): { seq: number; result: string } | undefined {
    return this.#get('SELECT seq, result FROM provisioning_events WHERE intent_seq = ?', intentSeq) as
      { seq: number; result: string } | undefined;
  }

  /**
   * The batch a command was asked to filter by, or a refusal listing the batches the store has (at most 10): a
   * mistyped batch would otherwise list or export nothing, quietly.
   */
  requireBatch(batchId: string): BatchRecord {
    const batch = this.getBatch(batchId);
    if (batch) return batch;
    const known = this.listBatches().map((b) => b.batchId);
    const more = known.length > 10 ? ` and ${known.length - 10} more` : '';
    const listed =
      known.length === 0 ? 'it has no batch yet' : `its batches: ${known.slice(0, 10).join(', ')}${more}`;
    throw usageError(
      'EVIDENCE_NO_BATCH',
      `no batch ${batchId} in ${this.db.name} (${listed}); check --batch`,
    );
  }

  /** One serial's events and policy rejections merged in chain order, or a refusal when the store has none. */
  serialHistory(serial: string): SerialHistoryEntry[] {
    const history = this.historyOf(serial);
    if (history.events.length === 0 && history.rejections.length === 0) {
      throw usageError('EVIDENCE_NO_SERIAL', `${this.db.name}: no evidence for serial ${serial}`);
    }
    return [
      ...history.events.map((e) => ({ record: 'event' as const, ...e })),
      ...history.rejections.map((r) => ({ record: 'rejection' as const, ...r })),
    ].sort((a, b) => a.seq - b.seq);
  }

  /** How many PASS results a batch has. */
  countPasses(batchId: string): number {
    return (
      this.#get(
        `SELECT count(*) AS n FROM provisioning_events WHERE batch_id = ? AND result = 'PASS'`,
        batchId,
      ) as {
        n: number;
      }
    ).n;
  }

  /** Every serial with an intent for this password fingerprint (first intent of each). More than one means a defect. */
  findFingerprint(fingerprint: string): { serial: string; seq: number }[] {
    return this.#all(
      `SELECT serial, min(seq) AS seq FROM provisioning_events WHERE ${INTENT_WITH_FINGERPRINT} GROUP BY serial ORDER BY seq`,
      { fingerprint },
    ) as { serial: string; seq: number }[];
  }

  /** Intents with no result (a station stopped mid-device), oldest first; only `serial`'s when given. */
  listIncomplete(serial?: string): EventRecord[] {
    const open = `kind = 'INTENT' AND NOT EXISTS (SELECT 1 FROM provisioning_events r WHERE r.intent_seq = i.seq)`;
    const rows =
      serial === undefined
        ? this.#all(`SELECT * FROM provisioning_events i WHERE ${open} ORDER BY seq`)
        : this.#all(`SELECT * FROM provisioning_events i WHERE serial = ? AND ${open} ORDER BY seq`, serial);
    return rows.map(toEventRecord);
  }

  /** Every event and policy rejection for one serial, in chain order. */
  historyOf(serial: string): { events: EventRecord[]; rejections: RejectionRecord[] } {
    return {
      events: this.#all('SELECT * FROM provisioning_events WHERE serial = ? ORDER BY seq', serial).map(
        toEventRecord,
      ),
      rejections: this.#all('SELECT * FROM policy_rejections WHERE serial = ? ORDER BY seq', serial).map(
        toRejectionRecord,
      ),
    };
  }

  /** Streams events in chain order (constant memory). */
  *iterateEvents(filter: EventFilter = {}): Generator<EventRecord> {
    const where: string[] = [];
    if (filter.batchId !== undefined) where.push('batch_id = @batchId');
    if (filter.serial !== undefined) where.push('serial = @serial');
    if (filter.since !== undefined) where.push('recorded_at >= @since');
    if (filter.result !== undefined) where.push('result = @result');
    const sql =
      `SELECT * FROM provisioning_events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq` +
      (filter.limit !== undefined ? ' LIMIT @limit' : '');
    for (const row of this.db.prepare(sql).iterate(filter)) yield toEventRecord(row as Row);
  }

  listCheckpoints(): CheckpointRecord[] {
    return this.#all('SELECT * FROM checkpoints ORDER BY id').map(toCheckpointRecord);
  }

  stats(): StoreStats {
    const count = (table: string): number =>
      (this.#get(`SELECT count(*) AS n FROM ${table}`) as { n: number }).n;
    const batches = this.#all(`
      SELECT b.batch_id AS batchId,
        (SELECT count(*) FROM provisioning_events e WHERE e.batch_id = b.batch_id AND kind = 'INTENT') AS intents,
        (SELECT count(*) FROM provisioning_events e WHERE e.batch_id = b.batch_id AND result = 'PASS') AS pass,
        (SELECT count(*) FROM provisioning_events e WHERE e.batch_id = b.batch_id AND result = 'FAIL') AS fail,
        (SELECT count(*) FROM provisioning_events e WHERE e.batch_id = b.batch_id AND result = 'ABORTED') AS aborted
      FROM batches b ORDER BY b.seq`) as Omit<StoreStats['batches'][number], 'open'>[];
    const head = this.head();
    const last = this.#get('SELECT max(head_seq) AS seq FROM checkpoints') as { seq: number | null };
    const schemaVersion = this.db.pragma('user_version', { simple: true }) as number;
    return {
      head,
      schemaVersion,
      stations: count('stations'),
      lineKeys: count('line_keys'),
      batches: batches.map((b) => ({ ...b, open: b.intents - b.pass - b.fail - b.aborted })),
      events: count('provisioning_events'),
      rejections: count('policy_rejections'),
      complianceSeals: schemaVersion >= COMPLIANCE_SEAL_TYPE.sinceVersion ? count('compliance_seals') : 0,
      checkpoints: count('checkpoints'),
      unsigned: head.seq - (last.seq ?? 0),
    };
  }

  /**
   * Rows of a read-only query over the tables another module keeps in this database (its sealed tables: the owner
   * writes them only through EvidenceStore.appendSealedRow). A statement that would write is refused.
   *
   * @example store.readRows('SELECT * FROM product_records WHERE product_id = ? ORDER BY revision', 'cam');
   */
  readRows(sql: string, ...params: unknown[]): Row[] {
    return this.#reader(sql).all(...params) as Row[];
  }

  /** The first row of readRows's query, or undefined. */
  readRow(sql: string, ...params: unknown[]): Row | undefined {
    return this.#reader(sql).get(...params) as Row | undefined;
  }

  #reader(sql: string): Database.Statement {
    const statement = this.#statement(sql);
    if (!statement.readonly) throw new TypeError(`readRows: a query that writes is refused: ${sql}`);
    return statement;
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #get(sql: string, ...params: unknown[]): Row | undefined {
    return this.#statement(sql).get(...params) as Row | undefined;
  }

  #all(sql: string, ...params: unknown[]): Row[] {
    return this.#statement(sql).all(...params) as Row[];
  }
}
