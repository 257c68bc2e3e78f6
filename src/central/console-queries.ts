/**
 * The web console's reads over the central store: a cheap mark of what changed (each station's head, checkpoints,
 * conflicts, documents: one index probe each), each station's events after a seq (its primary-key range, so the
 * console folds every chain by its own cursor), a batch's newest results per station, a serial's history at every
 * station, serials by prefix, checkpoints and issued statements. Named operations, so that the console holds no
 * SQL of its own; nothing read here is secret (no fingerprint, no verifier).
 *
 * @example
 * const heads = await consoleHeads(reader);
 * for (const h of heads.stations) for (const e of await consoleEventsAfter(reader, h.stationId, 0, h.headSeq)) fold(e);
 */
import {
  toBatchRecord,
  toEventRecord,
  toRejectionRecord,
  type BatchRecord,
  type CheckpointRecord,
  type EventFacts,
  type EventRecord,
  type FieldValue,
  type RejectionRecord,
} from '../evidence/index.js';
import { ORIGIN, SCHEMA } from './chain-sql.js';
import type { CentralReader } from './central-reader.js';
import { centralError } from './connect.js';

const EVENT = 'credline.event.v1';
const REJECTION = 'credline.rejection.v1';
const BATCH = 'credline.batch.v1';
/** The document kind `soc issue --central` records a statement under (cli/compliance/soc-central.ts). */
const STATEMENT_KIND = 'statement';
/** Rows read per query while catching up: small enough that each chunk dies young (a 20,000-row chunk lifted the
 * console's peak RSS to ~235 MB over 1,000,000 events), large enough that a million rows take 500 round trips. */
const CHUNK = 2_000;

export interface ConsoleHeads {
  /** Every registered station and the last seq of its chain stored here (0 before its first push). */
  stations: { stationId: string; headSeq: number; checkpoints: number }[];
  conflicts: number;
  documents: number;
}

/** Rows of a read as arrays (no object per row: a million-row fold parses less). */
async function arrayRows<T>(reader: CentralReader, text: string, values: unknown[]): Promise<T[]> {
  try {
    return (await reader.client.query({ text, values, rowMode: 'array' })).rows as T[];
  } catch (error) {
    throw centralError(reader.target, error);
  }
}

/** What changed since the last look, in one round trip of index probes (cheap enough to poll several times a second). */
export async function consoleHeads(reader: CentralReader): Promise<ConsoleHeads> {
  const rows = await reader.query<{ station_id: string; head: number; checkpoints: number }>(
    `SELECT s.station_id,
       coalesce((SELECT max(seq) FROM ${SCHEMA}.chain_records r WHERE r.${ORIGIN} = s.station_id), 0) AS head,
       coalesce((SELECT max(local_id) FROM ${SCHEMA}.checkpoints c WHERE c.${ORIGIN} = s.station_id), 0)
         AS checkpoints
     FROM ${SCHEMA}.stations s ORDER BY 1`,
  );
  const counts = (
    await reader.query<{ conflicts: number; documents: number }>(
      `SELECT coalesce((SELECT max(id) FROM ${SCHEMA}.conflicts), 0) AS conflicts,
              coalesce((SELECT max(id) FROM ${SCHEMA}.compliance_documents), 0) AS documents`,
    )
  )[0];
  return {
    stations: rows.map((r) => ({ stationId: r.station_id, headSeq: r.head, checkpoints: r.checkpoints })),
    conflicts: counts?.conflicts ?? 0,
    documents: counts?.documents ?? 0,
  };
}

type EventRow = [
  number,
  EventFacts['kind'],
  number | null,
  string,
  string,
  number | null,
  EventFacts['result'],
  string | null,
  string | null,
  string | null,
  string,
];

/**
 * A station's provisioning events with `afterSeq < seq <= uptoSeq`, in seq order, read in chunks; and the batch
 * records among them.
 */
export async function* consoleEventsAfter(
  reader: CentralReader,
  stationId: string,
  afterSeq: number,
  uptoSeq: number,
): AsyncGenerator<EventFacts[]> {
  let after = afterSeq;
  for (;;) {
    const rows = await arrayRows<EventRow>(
      reader,
      `SELECT seq, kind, intent_seq, batch_id, serial, attempt, result, reason_code, reason_text, port, recorded_at
       FROM ${SCHEMA}.chain_records
       WHERE ${ORIGIN} = $1 AND seq > $2 AND seq <= $3 AND record_type = '${EVENT}'
       ORDER BY seq LIMIT ${CHUNK}`,
      [stationId, after, uptoSeq],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      seq: r[0],
      kind: r[1],
      intentSeq: r[2],
      batchId: r[3],
      serial: r[4],
      attempt: r[5],
      result: r[6],
      reasonCode: r[7],
      reasonText: r[8],
      port: r[9],
      recordedAt: r[10],
    }));
    after = (rows.at(-1) as EventRow)[0];
    if (rows.length < CHUNK) return;
  }
}

/** A station's batch records with `afterSeq < seq <= uptoSeq`. */
export async function consoleBatchesAfter(
  reader: CentralReader,
  stationId: string,
  afterSeq: number,
  uptoSeq: number,
): Promise<BatchRecord[]> {
  const rows = await reader.query<Record<string, FieldValue>>(
    `SELECT * FROM ${SCHEMA}.chain_records
     WHERE ${ORIGIN} = $1 AND seq > $2 AND seq <= $3 AND record_type = '${BATCH}' ORDER BY seq`,
    [stationId, afterSeq, uptoSeq],
  );
  return rows.map(toBatchRecord);
}

/** A batch result as the console lists it, with the station whose chain holds it. */
export interface ConsoleResult {
  stationId: string;
  seq: number;
  serial: string;
  port: string | null;
  result: 'PASS' | 'FAIL' | 'ABORTED';
  reasonCode: string | null;
  reasonText: string | null;
  recordedAt: string;
  batchId: string;
}

/**
 * One station's results of a batch with seq below `beforeSeq`, newest first, at most `limit` (a backward scan of
 * the batch index, however large the batch).
 */
export async function consoleBatchResults(
  reader: CentralReader,
  batchId: string,
  stationId: string,
  beforeSeq: number,
  limit: number,
): Promise<ConsoleResult[]> {
  const rows = await reader.query<{
    seq: number;
    serial: string;
    port: string | null;
    result: ConsoleResult['result'];
    reason_code: string | null;
    reason_text: string | null;
    recorded_at: string;
  }>(
    `SELECT seq, serial, port, result, reason_code, reason_text, recorded_at FROM ${SCHEMA}.chain_records
     WHERE batch_id = $1 AND ${ORIGIN} = $2 AND seq < $3 AND record_type = '${EVENT}' AND kind = 'RESULT'
     ORDER BY batch_id DESC, ${ORIGIN} DESC, seq DESC LIMIT $4`,
    [batchId, stationId, beforeSeq, limit],
  );
  return rows.map((r) => ({
    stationId,
    seq: r.seq,
    serial: r.serial,
    port: r.port,
    result: r.result,
    reasonCode: r.reason_code,
    reasonText: r.reason_text,
    recordedAt: r.recorded_at,
    batchId,
  }));
}

/** Every event and policy rejection of a serial, at every station, oldest first; each names its station. */
export async function consoleSerialHistory(
  reader: CentralReader,
  serial: string,
): Promise<{
  events: (EventRecord & { origin: string })[];
  rejections: (RejectionRecord & { origin: string })[];
}> {
  const rows = await reader.query<Record<string, FieldValue>>(
    `SELECT * FROM ${SCHEMA}.chain_records WHERE serial = $1 AND record_type IN ('${EVENT}', '${REJECTION}')
     ORDER BY recorded_at, ${ORIGIN}, seq`,
    [serial],
  );
  const events: (EventRecord & { origin: string })[] = [];
  const rejections: (RejectionRecord & { origin: string })[] = [];
  for (const row of rows) {
    const origin = row[ORIGIN] as string;
    if (row['record_type'] === EVENT) events.push({ ...toEventRecord(row), origin });
    else rejections.push({ ...toRejectionRecord(row), origin });
  }
  return { events, rejections };
}

/** Distinct serials starting with `prefix`, in order, at most `limit` (an index range when the collation allows). */
export async function consoleSerialsStartingWith(
  reader: CentralReader,
  prefix: string,
  limit: number,
): Promise<string[]> {
  const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await reader.query<{ serial: string }>(
    `SELECT DISTINCT serial FROM ${SCHEMA}.chain_records WHERE serial LIKE $1 ESCAPE '\\' ORDER BY 1 LIMIT $2`,
    [pattern, limit],
  );
  return rows.map((r) => r.serial);
}

/** Every station's signed checkpoints, by station, oldest first. */
export async function consoleCheckpoints(reader: CentralReader): Promise<CheckpointRecord[]> {
  const rows = await reader.query<{
    local_id: number;
    head_seq: number;
    head_hash: string;
    station_id: string;
    public_key: string;
    reason: string;
    created_at: string;
    signature: string;
  }>(
    `SELECT local_id, head_seq, head_hash, station_id, public_key, reason, created_at, signature
     FROM ${SCHEMA}.checkpoints ORDER BY ${ORIGIN}, local_id`,
  );
  return rows.map((c) => ({
    id: c.local_id,
    headSeq: c.head_seq,
    headHash: c.head_hash,
    stationId: c.station_id,
    publicKey: c.public_key,
    reason: c.reason,
    createdAt: c.created_at,
    signature: c.signature,
  }));
}

/** A statement recorded centrally (the facts the console lists; `body` is the document as `soc issue` recorded it). */
export interface ConsoleStatement<T = unknown> {
  documentId: number;
  batchId: string;
  dateOfIssue: string;
  retainUntil: string;
  recordedAt: string;
  body: T;
}

/** Statements of compliance recorded centrally, oldest first (of one batch when given). */
export async function consoleStatements<T>(
  reader: CentralReader,
  batchId?: string,
): Promise<ConsoleStatement<T>[]> {
  const values: unknown[] = [STATEMENT_KIND];
  const byBatch = batchId === undefined ? '' : ` AND document_key = $${values.push(batchId)}`;
  const rows = await reader.query<{
    id: number;
    document_key: string;
    body: T & { dateOfIssue?: string; retainUntil?: string };
    recorded_at: Date;
  }>(
    `SELECT id, document_key, body, recorded_at FROM ${SCHEMA}.compliance_documents
     WHERE kind = $1${byBatch} ORDER BY id`,
    values,
  );
  return rows.map((r) => ({
    documentId: r.id,
    batchId: r.document_key,
    dateOfIssue: r.body.dateOfIssue ?? '',
    retainUntil: r.body.retainUntil ?? '',
    recordedAt: r.recorded_at.toISOString(),
    body: r.body,
  }));
}
