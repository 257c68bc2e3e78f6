/**
 * The read interface over the central store that compliance commands use in place of a station file: chained
 * rows in (station id, seq) order, stats, a serial's history, verification, conflicts and findings. Reads page
 * by keyset ((station, seq) > last), so memory stays constant however large the store.
 */
import { checkpointSignatureValid, type CheckpointRecord, type FieldValue } from '../evidence/index.js';
import { CENTRAL_CHAIN_COLUMNS, ORIGIN, rowHashSql, SCHEMA } from './chain-sql.js';
import { centralError, connectCentral, type CentralClient, type CentralTarget } from './connect.js';
import { assertCurrentSchema } from './init.js';
import { verifyComplianceChain, type ComplianceChainReport } from './central-documents.js';

export interface CentralFilter {
  batchId?: string | undefined;
  stationId?: string | undefined;
  /** Only records of this type tag, e.g. `credline.event.v1`. */
  recordType?: string | undefined;
  serial?: string | undefined;
  /** ISO-8601 UTC: records recorded at or after it. */
  since?: string | undefined;
  result?: 'PASS' | 'FAIL' | 'ABORTED' | undefined;
}

/** One stored chain row: its station, and the row laid out like the local store's CHAIN_COLUMNS. */
export interface CentralRow {
  stationId: string;
  raw: FieldValue[];
}

export interface Conflict {
  kind: 'serial' | 'fingerprint';
  profileId: string;
  keyId: string;
  first: ConflictSide;
  second: ConflictSide;
  foundAt: string;
}

export interface ConflictSide {
  stationId: string;
  seq: number;
  serial: string;
  batchId: string;
  at: string;
}

export interface StoredFinding {
  id: number;
  stationId: string;
  seq: number | null;
  kind: string;
  detail: string;
  foundAt: string;
}

export interface CentralStationStats {
  stationId: string;
  records: number;
  headSeq: number;
  pass: number;
  fail: number;
  aborted: number;
  checkpoints: number;
}

export interface CentralVerifyProblem {
  stationId: string;
  seq: number | null;
  problem: string;
}

export interface CentralVerifyReport {
  stations: { stationId: string; records: number; headSeq: number; checkpoints: number }[];
  problems: CentralVerifyProblem[];
  findings: number;
  conflicts: number;
  /** The compliance chain (statements and other documents recorded centrally). */
  compliance: ComplianceChainReport;
}

const PAGE_ROWS = 10_000;

/** A row of SELECT_COLUMNS (the origin, then CHAIN_COLUMNS) as its station and raw chain row. */
const centralRow = (r: FieldValue[]): CentralRow => ({ stationId: r[0] as string, raw: r.slice(1) });

/**
 * The filter as SQL conditions on the columns of `chain_records` (prefixed with `prefix`, e.g. `r.`), each value
 * written by `value`: a query parameter's placeholder, or a literal where the statement takes none (COPY).
 */
export function filterConditions(
  filter: CentralFilter,
  prefix: string,
  value: (value: string) => string,
): string[] {
  const where: string[] = [];
  if (filter.batchId !== undefined) where.push(`${prefix}batch_id = ${value(filter.batchId)}`);
  if (filter.stationId !== undefined) where.push(`${prefix}${ORIGIN} = ${value(filter.stationId)}`);
  if (filter.recordType !== undefined) where.push(`${prefix}record_type = ${value(filter.recordType)}`);
  if (filter.serial !== undefined) where.push(`${prefix}serial = ${value(filter.serial)}`);
  if (filter.since !== undefined) where.push(`${prefix}recorded_at >= ${value(filter.since)}`);
  if (filter.result !== undefined) where.push(`${prefix}result = ${value(filter.result)}`);
  return where;
}
const SELECT_COLUMNS = CENTRAL_CHAIN_COLUMNS.join(', ');

export class CentralReader {
  private constructor(
    readonly client: CentralClient,
    readonly target: CentralTarget,
  ) {}

  static async open(target: CentralTarget): Promise<CentralReader> {
    const client = await connectCentral(target);
    try {
      await assertCurrentSchema(client, target);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw centralError(target, error);
    }
    return new CentralReader(client, target);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  /**
   * Chain rows in (station id, seq) order, a page at a time, from one snapshot (REPEATABLE READ). A consumer that
   * stops early ends the snapshot too.
   */
  async *rows(filter: CentralFilter = {}): AsyncGenerator<CentralRow[]> {
    await this.#query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    let open = true;
    try {
      let after: [string, number] = ['', 0];
      for (;;) {
        const values: unknown[] = [...after];
        const where = [
          `(${ORIGIN}, seq) > ($1, $2)`,
          ...filterConditions(filter, '', (value) => `$${values.push(value)}`),
        ];
        const page = await this.#query<FieldValue[]>({
          text: `SELECT ${SELECT_COLUMNS} FROM ${SCHEMA}.chain_records WHERE ${where.join(' AND ')}
                 ORDER BY ${ORIGIN}, seq LIMIT ${PAGE_ROWS}`,
          values,
          rowMode: 'array',
        });
        if (page.length === 0) break;
        yield page.map(centralRow);
        const last = page[page.length - 1] as FieldValue[];
        after = [last[0] as string, last[4] as number];
        if (page.length < PAGE_ROWS) break;
      }
      await this.#query('COMMIT');
      open = false;
    } finally {
      if (open) await this.client.query('ROLLBACK').catch(() => undefined);
    }
  }

  /** Runs `work` inside one REPEATABLE READ, read-only snapshot: every query it makes sees the same store. */
  async inSnapshot<T>(work: () => Promise<T>): Promise<T> {
    await this.#query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const result = await work();
      await this.#query('COMMIT');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Every stored record of a serial, all stations, in (station id, seq) order. */
  async history(serial: string): Promise<CentralRow[]> {
    const rows = await this.#query<FieldValue[]>({
      text: `SELECT ${SELECT_COLUMNS} FROM ${SCHEMA}.chain_records WHERE serial = $1 ORDER BY ${ORIGIN}, seq`,
      values: [serial],
      rowMode: 'array',
    });
    return rows.map(centralRow);
  }

  async stats(): Promise<CentralStationStats[]> {
    const rows = await this.#query<{
      station_id: string;
      records: number;
      head_seq: number | null;
      pass: number;
      fail: number;
      aborted: number;
      checkpoints: number;
    }>(
      `SELECT s.station_id,
         (SELECT count(*) FROM ${SCHEMA}.chain_records r WHERE r.${ORIGIN} = s.station_id)::bigint AS records,
         (SELECT max(seq) FROM ${SCHEMA}.chain_records r WHERE r.${ORIGIN} = s.station_id) AS head_seq,
         (SELECT count(*) FILTER (WHERE result = 'PASS') FROM ${SCHEMA}.chain_records r
            WHERE r.${ORIGIN} = s.station_id)::bigint AS pass,
         (SELECT count(*) FILTER (WHERE result = 'FAIL') FROM ${SCHEMA}.chain_records r
            WHERE r.${ORIGIN} = s.station_id)::bigint AS fail,
         (SELECT count(*) FILTER (WHERE result = 'ABORTED') FROM ${SCHEMA}.chain_records r
            WHERE r.${ORIGIN} = s.station_id)::bigint AS aborted,
         (SELECT count(*) FROM ${SCHEMA}.checkpoints c WHERE c.${ORIGIN} = s.station_id)::bigint AS checkpoints
       FROM ${SCHEMA}.stations s ORDER BY s.station_id`,
    );
    return rows.map((r) => ({
      stationId: r.station_id,
      records: r.records,
      headSeq: r.head_seq ?? 0,
      pass: r.pass,
      fail: r.fail,
      aborted: r.aborted,
      checkpoints: r.checkpoints,
    }));
  }

  async conflicts(): Promise<Conflict[]> {
    const rows = await this.#query<Record<string, string | number | Date>>(
      `SELECT * FROM ${SCHEMA}.conflicts ORDER BY id`,
    );
    const side = (r: Record<string, string | number | Date>, p: 'first' | 'second'): ConflictSide => ({
      stationId: r[`${p}_station`] as string,
      seq: r[`${p}_seq`] as number,
      serial: r[`${p}_serial`] as string,
      batchId: r[`${p}_batch`] as string,
      at: r[`${p}_at`] as string,
    });
    return rows.map((r) => ({
      kind: r['kind'] as Conflict['kind'],
      profileId: r['profile_id'] as string,
      keyId: r['key_id'] as string,
      first: side(r, 'first'),
      second: side(r, 'second'),
      foundAt: (r['found_at'] as Date).toISOString(),
    }));
  }

  async findings(): Promise<StoredFinding[]> {
    const rows = await this.#query<{
      id: number;
      origin_station: string;
      seq: number | null;
      kind: string;
      detail: string;
      found_at: Date;
    }>(`SELECT id, ${ORIGIN}, seq, kind, detail, found_at FROM ${SCHEMA}.findings ORDER BY id`);
    return rows.map((r) => ({
      id: r.id,
      stationId: r.origin_station,
      seq: r.seq,
      kind: r.kind,
      detail: r.detail,
      foundAt: r.found_at.toISOString(),
    }));
  }

  /**
   * Re-checks the whole store: every row's hash and link (in the server, as ingest does), every checkpoint's
   * Ed25519 signature against its station's registered key and its head against the stored row, and that the
   * append-only triggers are in place.
   */
  async verify(): Promise<CentralVerifyReport> {
    const problems: CentralVerifyProblem[] = [];
    const broken = await this.#query<{ station: string; seq: number; problem: string }>(
      `SELECT ${ORIGIN} AS station, seq, CASE
           WHEN row_hash IS DISTINCT FROM computed THEN 'row_hash is not the hash of the row'
           WHEN seq <> coalesce(lag_seq, 0) + 1 THEN 'a gap before this seq'
           ELSE 'prev_hash does not link to the previous row' END AS problem
       FROM (SELECT r.${ORIGIN}, r.seq, r.row_hash, r.prev_hash, ${rowHashSql('r')} AS computed,
               lag(r.seq) OVER w AS lag_seq, lag(r.row_hash) OVER w AS lag_hash
             FROM ${SCHEMA}.chain_records r WINDOW w AS (PARTITION BY r.${ORIGIN} ORDER BY r.seq)) x
       WHERE row_hash IS DISTINCT FROM computed OR seq <> coalesce(lag_seq, 0) + 1
          OR prev_hash <> coalesce(lag_hash, '${'0'.repeat(64)}')
       ORDER BY 1, 2 LIMIT 100`,
    );
    for (const b of broken) problems.push({ stationId: b.station, seq: b.seq, problem: b.problem });
    const checkpoints = await this.#query<{
      origin_station: string;
      local_id: number;
      head_seq: number;
      head_hash: string;
      station_id: string;
      public_key: string;
      reason: string;
      created_at: string;
      signature: string;
      registered: string | null;
      stored: string | null;
    }>(
      `SELECT c.*, s.public_key AS registered, r.row_hash AS stored FROM ${SCHEMA}.checkpoints c
       LEFT JOIN ${SCHEMA}.stations s ON s.station_id = c.${ORIGIN}
       LEFT JOIN ${SCHEMA}.chain_records r ON r.${ORIGIN} = c.${ORIGIN} AND r.seq = c.head_seq
       ORDER BY c.${ORIGIN}, c.local_id`,
    );
    for (const c of checkpoints) {
      const record: CheckpointRecord = {
        id: c.local_id,
        headSeq: c.head_seq,
        headHash: c.head_hash,
        stationId: c.station_id,
        publicKey: c.public_key,
        reason: c.reason,
        createdAt: c.created_at,
        signature: c.signature,
      };
      const at = { stationId: c.origin_station, seq: c.head_seq };
      if (c.public_key !== c.registered)
        problems.push({ ...at, problem: `checkpoint ${c.local_id} is not signed by the registered key` });
      else if (!checkpointSignatureValid(record))
        problems.push({ ...at, problem: `checkpoint ${c.local_id}: the signature does not verify` });
      else if (c.head_seq > 0 && c.stored !== c.head_hash)
        problems.push({ ...at, problem: `checkpoint ${c.local_id} names a head that is not stored` });
    }
    const triggers = await this.#query<{ missing: string }>(
      `SELECT t.table_name AS missing FROM (VALUES ('stations'), ('chain_records'), ('checkpoints'), ('findings'),
         ('conflicts'), ('serial_reservations'), ('fingerprint_reservations'), ('compliance_documents'),
         ('central_keys'), ('compliance_chain'), ('compliance_checkpoints')) t(table_name)
       WHERE NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = to_regclass('${SCHEMA}.' || t.table_name)
         AND g.tgname = t.table_name || '_append_only' AND g.tgenabled <> 'D')`,
    );
    for (const t of triggers)
      problems.push({
        stationId: '-',
        seq: null,
        problem: `${SCHEMA}.${t.missing}: its append-only trigger is gone`,
      });
    const compliance = await verifyComplianceChain(this, problems);
    const stations = await this.stats();
    const counts = await this.#query<{ findings: number; conflicts: number }>(
      `SELECT (SELECT count(*) FROM ${SCHEMA}.findings)::bigint AS findings,
              (SELECT count(*) FROM ${SCHEMA}.conflicts)::bigint AS conflicts`,
    );
    return {
      stations: stations.map((s) => ({
        stationId: s.stationId,
        records: s.records,
        headSeq: s.headSeq,
        checkpoints: s.checkpoints,
      })),
      problems,
      findings: counts[0]?.findings ?? 0,
      conflicts: counts[0]?.conflicts ?? 0,
      compliance,
    };
  }

  /** Rows of one read-only query; a server or network error becomes the store's CredlineError. */
  async query<T extends object>(text: string, values: unknown[] = []): Promise<T[]> {
    return this.#query<T>({ text, values });
  }

  async #query<T extends object>(
    query: string | { text: string; values?: unknown[]; rowMode?: 'array' },
  ): Promise<T[]> {
    try {
      const result =
        typeof query === 'string' ? await this.client.query(query) : await this.client.query(query as never);
      return result.rows as T[];
    } catch (error) {
      throw centralError(this.target, error);
    }
  }
}
