/**
 * The evidence commands' reads over the central store, in the local store's record shapes (`evidence list|show|
 * stats --central`): events, a serial's history, open intents, batches and their counts. Every record names its
 * station in its own `stationId` field; seqs count within a station's chain, so records come in (station, seq)
 * order.
 */
import { usageError } from '../errors/credline-error.js';
import {
  CHAIN_COLUMNS,
  toBatchRecord,
  toBatchTermsRecord,
  toEventRecord,
  toRejectionRecord,
  type BatchRecord,
  type BatchTermsRecord,
  type EventRecord,
  type FieldValue,
  type SerialHistoryEntry,
} from '../evidence/index.js';
import { ORIGIN, SCHEMA } from './chain-sql.js';
import { describeCentral } from './connect.js';
import type { CentralFilter, CentralReader, CentralStationStats } from './central-reader.js';

const EVENT = 'credline.event.v1';
const REJECTION = 'credline.rejection.v1';
const BATCH = 'credline.batch.v1';
const SEAL = 'credline.compliance-seal.v1';
const TERMS = 'credline.batch-terms.v1';

export interface CentralEventFilter extends Omit<CentralFilter, 'recordType'> {
  limit?: number | undefined;
}

export interface CentralBatchCounts {
  batchId: string;
  /** The stations whose chains hold events of the batch, by id. */
  stations: { stationId: string; intents: number; pass: number; fail: number; aborted: number }[];
  intents: number;
  pass: number;
  fail: number;
  aborted: number;
  open: number;
}

export interface CentralStoreStats {
  stations: CentralStationStats[];
  batches: CentralBatchCounts[];
  events: number;
  rejections: number;
  complianceSeals: number;
  checkpoints: number;
}

/** A raw row in CHAIN_COLUMNS order as the row-by-name object the evidence store's record readers take. */
function byName(raw: readonly FieldValue[]): Record<string, FieldValue> {
  const row: Record<string, FieldValue> = {};
  for (let i = 0; i < CHAIN_COLUMNS.length; i++) row[CHAIN_COLUMNS[i] as string] = raw[i] ?? null;
  return row;
}

/** Provisioning events in (station, seq) order, filtered; constant memory. */
export async function* centralEvents(
  reader: CentralReader,
  filter: CentralEventFilter = {},
): AsyncGenerator<EventRecord> {
  let left = filter.limit ?? Infinity;
  if (left <= 0) return;
  for await (const page of reader.rows({ ...filter, recordType: EVENT })) {
    for (const row of page) {
      yield toEventRecord(byName(row.raw));
      if (--left <= 0) return;
    }
  }
}

/** One serial's events and policy rejections from every station, or a refusal when the store has none. */
export async function centralSerialHistory(
  reader: CentralReader,
  serial: string,
): Promise<SerialHistoryEntry[]> {
  const entries: SerialHistoryEntry[] = [];
  for (const row of await reader.history(serial)) {
    const record = byName(row.raw);
    if (record['record_type'] === EVENT) entries.push({ record: 'event', ...toEventRecord(record) });
    else if (record['record_type'] === REJECTION)
      entries.push({ record: 'rejection', ...toRejectionRecord(record) });
  }
  if (entries.length === 0)
    throw usageError(
      'EVIDENCE_NO_SERIAL',
      `${describeCentral(reader.target)}: no evidence for serial ${serial}`,
    );
  return entries;
}

/** Intents with no result in their station's chain (a station stopped mid-device), per station, oldest first. */
export async function centralIncomplete(reader: CentralReader, serial?: string): Promise<EventRecord[]> {
  const values: unknown[] = [];
  const bySerial = serial === undefined ? '' : ` AND i.serial = $${values.push(serial)}`;
  const rows = await reader.query<Record<string, FieldValue>>(
    `SELECT i.* FROM ${SCHEMA}.chain_records i
     WHERE i.record_type = '${EVENT}' AND i.kind = 'INTENT'${bySerial}
       AND NOT EXISTS (SELECT 1 FROM ${SCHEMA}.chain_records r WHERE r.${ORIGIN} = i.${ORIGIN}
         AND r.intent_seq = i.seq AND r.record_type = '${EVENT}')
     ORDER BY i.${ORIGIN}, i.seq`,
    values,
  );
  return rows.map(toEventRecord);
}

/** The batch's record (as the first station, by id, recorded it), or a refusal naming the batches there are. */
export async function requireCentralBatch(reader: CentralReader, batchId: string): Promise<BatchRecord> {
  const rows = await reader.query<Record<string, FieldValue>>(
    `SELECT * FROM ${SCHEMA}.chain_records WHERE record_type = '${BATCH}' AND batch_id = $1
     ORDER BY ${ORIGIN}, seq LIMIT 1`,
    [batchId],
  );
  const row = rows[0];
  if (row !== undefined) return toBatchRecord(row);
  const known = (
    await reader.query<{ batch_id: string }>(
      `SELECT DISTINCT batch_id FROM ${SCHEMA}.chain_records WHERE record_type = '${BATCH}' ORDER BY 1 LIMIT 11`,
    )
  ).map((r) => r.batch_id);
  const listed =
    known.length === 0
      ? 'it has no batch yet'
      : `its batches: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ' and more' : ''}`;
  throw usageError(
    'EVIDENCE_NO_BATCH',
    `no batch ${batchId} in ${describeCentral(reader.target)} (${listed}); check --batch`,
  );
}

/** Event counts per batch and per station within it, batches by id. */
export async function centralBatchCounts(reader: CentralReader): Promise<CentralBatchCounts[]> {
  const rows = await reader.query<{
    batch_id: string;
    station: string;
    intents: number;
    pass: number;
    fail: number;
    aborted: number;
  }>(
    `SELECT batch_id, ${ORIGIN} AS station,
       count(*) FILTER (WHERE kind = 'INTENT')::bigint AS intents,
       count(*) FILTER (WHERE result = 'PASS')::bigint AS pass,
       count(*) FILTER (WHERE result = 'FAIL')::bigint AS fail,
       count(*) FILTER (WHERE result = 'ABORTED')::bigint AS aborted
     FROM ${SCHEMA}.chain_records WHERE record_type = '${EVENT}' GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const batches = new Map<string, CentralBatchCounts>();
  for (const r of rows) {
    const b = batches.get(r.batch_id) ?? {
      batchId: r.batch_id,
      stations: [],
      intents: 0,
      pass: 0,
      fail: 0,
      aborted: 0,
      open: 0,
    };
    b.stations.push({
      stationId: r.station,
      intents: r.intents,
      pass: r.pass,
      fail: r.fail,
      aborted: r.aborted,
    });
    b.intents += r.intents;
    b.pass += r.pass;
    b.fail += r.fail;
    b.aborted += r.aborted;
    b.open = b.intents - b.pass - b.fail - b.aborted;
    batches.set(r.batch_id, b);
  }
  return [...batches.values()];
}

/** What the store holds: per station, per batch, and record counts by kind. */
export async function centralStoreStats(reader: CentralReader): Promise<CentralStoreStats> {
  const stations = await reader.stats();
  const batches = await centralBatchCounts(reader);
  const byType = new Map(
    (
      await reader.query<{ record_type: string; n: number }>(
        `SELECT record_type, count(*)::bigint AS n FROM ${SCHEMA}.chain_records GROUP BY 1`,
      )
    ).map((r) => [r.record_type, r.n]),
  );
  return {
    stations,
    batches,
    events: byType.get(EVENT) ?? 0,
    rejections: byType.get(REJECTION) ?? 0,
    complianceSeals: byType.get(SEAL) ?? 0,
    checkpoints: stations.reduce((n, s) => n + s.checkpoints, 0),
  };
}

export interface CentralBatchFacts {
  batch: BatchRecord;
  /** PASS results of the batch at every station. */
  passes: number;
  /** When its first PASS was recorded, at any station (ISO time). */
  firstPassAt: string | undefined;
  /** The latest batch-terms record of the batch at any station (the support period in force). */
  terms: BatchTermsRecord | undefined;
}

/** What a statement for a batch is judged by, from every station's records of it. */
export async function centralBatchFacts(reader: CentralReader, batchId: string): Promise<CentralBatchFacts> {
  const batch = await requireCentralBatch(reader, batchId);
  const pass = (
    await reader.query<{ passes: number; first: string | null }>(
      `SELECT count(*)::bigint AS passes, min(recorded_at) AS first FROM ${SCHEMA}.chain_records
       WHERE record_type = '${EVENT}' AND batch_id = $1 AND result = 'PASS'`,
      [batchId],
    )
  )[0];
  const terms = (
    await reader.query<Record<string, FieldValue>>(
      `SELECT * FROM ${SCHEMA}.chain_records WHERE record_type = '${TERMS}' AND batch_id = $1
       ORDER BY support_end_date DESC, recorded_at DESC LIMIT 1`,
      [batchId],
    )
  )[0];
  return {
    batch,
    passes: pass?.passes ?? 0,
    firstPassAt: pass?.first ?? undefined,
    terms: terms === undefined ? undefined : toBatchTermsRecord(terms),
  };
}

/** Every batch's record (as the first station, by id, recorded it), batches by id. */
export async function centralBatches(reader: CentralReader): Promise<BatchRecord[]> {
  const rows = await reader.query<Record<string, FieldValue>>(
    `SELECT DISTINCT ON (batch_id) * FROM ${SCHEMA}.chain_records WHERE record_type = '${BATCH}'
     ORDER BY batch_id, ${ORIGIN}, seq`,
  );
  return rows.map(toBatchRecord);
}
