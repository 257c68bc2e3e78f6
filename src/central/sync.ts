/**
 * `credline sync`: pushes a station file's chained records and checkpoints to the central store, in seq order, in
 * transactions of `chunkRows` records. Each transaction holds the station's advisory lock, starts at the stored
 * head + 1, and commits its rows with the checkpoints they cover; the server's ingest trigger (migrations.ts)
 * re-hashes every row and checks its link to the station's previous row before the commit. So a push is
 * idempotent (what is stored is never sent again), resumable (a cut connection loses the open transaction only)
 * and ordered. Anything the store refuses is recorded as a finding, named, and stops the sync.
 *
 * Before pushing, sync compares the file with what is stored: the row at the stored head must have the stored
 * hash (a re-hashed or forked file does not), every checkpoint must be signed by the station's registered key;
 * `full` re-sends every stored row and the server compares each with its copy.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { CredlineError, usageError } from '../errors/credline-error.js';
import {
  checkpointSignatureValid,
  CHAIN_COLUMNS,
  EvidenceQueries,
  iterateChainRows,
  openDatabase,
  type ChainHead,
  type CheckpointRecord,
  type FieldValue,
} from '../evidence/index.js';
import { CENTRAL_CHAIN_COLUMNS, chainColumnList, ORIGIN, PG_TYPE_OF, SCHEMA } from './chain-sql.js';
import { centralError, connectCentral, REFUSED, type CentralClient, type CentralTarget } from './connect.js';
import { copyLines } from './copy-text.js';
import { assertCurrentSchema } from './init.js';

export type PushMethod = 'copy' | 'insert';

export interface SyncOptions {
  /** The station's evidence file (opened read-only). */
  file: string;
  target: CentralTarget;
  /** The central station id; by default the one station the file records. */
  stationId?: string | undefined;
  /** Re-send every stored row and compare it with the stored copy. */
  full?: boolean | undefined;
  /** COPY (default) or multi-row INSERTs. */
  method?: PushMethod | undefined;
  /** Records per transaction (default 50,000). */
  chunkRows?: number | undefined;
  /**
   * Called after each committed transaction; sync waits for a returned promise. `centralHeadBefore` is where the
   * store stood when this sync began (the `credline sync` progress line counts from it).
   */
  onProgress?:
    | ((progress: {
        stationId: string;
        centralHeadBefore: number;
        centralHead: number;
        localHead: number;
      }) => void | Promise<void>)
    | undefined;
}

export type FindingKind =
  | 'fork'
  | 'file-behind'
  | 'contradicts-stored'
  | 'bad-hash'
  | 'bad-link'
  | 'foreign-key'
  | 'bad-signature'
  | 'bad-checkpoint'
  | 'unregistered';

/** Something the central store refused, as recorded in credline.findings. */
export interface Finding {
  stationId: string;
  seq: number | null;
  kind: FindingKind;
  detail: string;
  storedHash?: string | undefined;
  offeredHash?: string | undefined;
}

export interface SyncReport {
  stationId: string;
  localHead: ChainHead;
  centralHeadBefore: number;
  centralHead: number;
  pushedRecords: number;
  pushedCheckpoints: number;
  /** Stored rows re-sent and compared (`full`). */
  comparedRecords: number;
  /** Empty when the sync went through; otherwise what stopped it (recorded centrally). */
  findings: Finding[];
}

const DEFAULT_CHUNK_ROWS = 50_000;
const INSERT_ROWS = 5_000;
/** Room for a transaction's rows in the ingest trigger's transition table (~1 KB a row). */
const TRANSITION_MEMORY = '128MB';
const COLUMN_LIST = CENTRAL_CHAIN_COLUMNS.join(', ');

/**
 * @example
 * const report = await syncStation({ file: 'line1.db', target: centralTarget({ central: 'postgresql://line1@db/credline' }) });
 * if (report.findings.length) console.error(report.findings[0].detail);
 */
export async function syncStation(options: SyncOptions): Promise<SyncReport> {
  const db = openDatabase(options.file, { readonly: true });
  try {
    const queries = new EvidenceQueries(db);
    const stationId = options.stationId ?? onlyStationOf(db, options.file);
    const localHead = queries.head();
    const client = await connectCentral(options.target);
    try {
      return await new Sync(client, db, options, stationId, localHead, queries.listCheckpoints()).run();
    } catch (error) {
      throw centralError(options.target, error);
    } finally {
      await client.end().catch(() => undefined);
    }
  } finally {
    db.close();
  }
}

type Db = ReturnType<typeof openDatabase>;

class Sync {
  readonly #report: SyncReport;

  constructor(
    readonly client: CentralClient,
    readonly db: Db,
    readonly options: SyncOptions,
    readonly stationId: string,
    readonly localHead: ChainHead,
    readonly checkpoints: readonly CheckpointRecord[],
  ) {
    this.#report = {
      stationId,
      localHead,
      centralHeadBefore: 0,
      centralHead: 0,
      pushedRecords: 0,
      pushedCheckpoints: 0,
      comparedRecords: 0,
      findings: [],
    };
  }

  async run(): Promise<SyncReport> {
    await assertCurrentSchema(this.client, this.options.target);
    const publicKey = await this.#registeredKey();
    const head = await this.#centralHead();
    this.#report.centralHeadBefore = this.#report.centralHead = head.seq;
    const refused =
      this.#checkSignatures(publicKey) ??
      (await this.#checkHead(head)) ??
      (this.options.full ? await this.#compareStored(head.seq) : undefined);
    if (refused) return this.#refuse(refused);
    return this.#push();
  }

  async #registeredKey(): Promise<string> {
    const row = await this.client.query<{ public_key: string }>(
      `SELECT public_key FROM ${SCHEMA}.stations WHERE station_id = $1`,
      [this.stationId],
    );
    const key = row.rows[0]?.public_key;
    if (key === undefined)
      throw usageError(
        'CENTRAL_STATION_UNKNOWN',
        `station ${this.stationId} is not registered centrally: ` +
          `credline central station add --station-id ${this.stationId} --station-key FILE (as the owner)`,
      );
    return key;
  }

  async #centralHead(): Promise<ChainHead> {
    const row = await this.client.query<{ seq: number; row_hash: string }>(
      `SELECT seq, row_hash FROM ${SCHEMA}.chain_records WHERE ${ORIGIN} = $1 ORDER BY seq DESC LIMIT 1`,
      [this.stationId],
    );
    const r = row.rows[0];
    return r ? { seq: r.seq, hash: r.row_hash } : { seq: 0, hash: '0'.repeat(64) };
  }

  /** Every checkpoint of the file must be signed, validly, by the station's registered key. */
  #checkSignatures(publicKey: string): Finding | undefined {
    for (const c of this.checkpoints) {
      if (c.publicKey !== publicKey)
        return this.#finding(
          'foreign-key',
          c.headSeq,
          `checkpoint ${c.id} (head seq ${c.headSeq}) is signed by public key ${c.publicKey}, ` +
            `not station ${this.stationId}'s registered key ${publicKey}: the file was re-signed with another key`,
          { offeredHash: c.headHash },
        );
      if (!checkpointSignatureValid(c))
        return this.#finding(
          'bad-signature',
          c.headSeq,
          `checkpoint ${c.id} (head seq ${c.headSeq}): the signature does not verify`,
          { offeredHash: c.headHash },
        );
    }
    return undefined;
  }

  /** The file must hold the stored chain: the same hash at the stored head (a re-hashed file has another). */
  async #checkHead(head: ChainHead): Promise<Finding | undefined> {
    if (head.seq === 0) return undefined;
    if (head.seq > this.localHead.seq)
      return this.#finding(
        'file-behind',
        head.seq,
        `the store holds seq 1..${head.seq} but the file ends at seq ${this.localHead.seq}: ` +
          'records were removed from the file, or this is another file',
        { storedHash: head.hash, offeredHash: this.localHead.hash },
      );
    if (this.#localRow(head.seq)?.[2] === head.hash) return undefined;
    return this.#firstDivergence(head.seq);
  }

  /** Walks stored and local hashes from seq 1 to name the first record where they part. */
  async #firstDivergence(upTo: number): Promise<Finding> {
    const step = 10_000;
    for (let from = 1; from <= upTo; from += step) {
      const to = Math.min(upTo, from + step - 1);
      const stored = await this.client.query<{ seq: number; row_hash: string }>(
        `SELECT seq, row_hash FROM ${SCHEMA}.chain_records WHERE ${ORIGIN} = $1 AND seq BETWEEN $2 AND $3
         ORDER BY seq`,
        [this.stationId, from, to],
      );
      const local = [...this.#localRows(from, to)].map((r) => ({
        seq: r[3] as number,
        hash: r[2] as string,
      }));
      const at = local.findIndex(
        (l, i) => stored.rows[i]?.seq !== l.seq || stored.rows[i]?.row_hash !== l.hash,
      );
      if (at < 0) continue;
      const s = stored.rows[at];
      const seq = s?.seq ?? (local[at]?.seq as number);
      const row = this.#localRow(seq);
      return this.#finding(
        'fork',
        seq,
        `seq ${seq}: the file's record (row_hash ${String(row?.[2])}) contradicts the stored one ` +
          `(${s?.row_hash ?? 'none'}): the file was edited or forked after it was pushed`,
        { storedHash: s?.row_hash, offeredHash: row?.[2] as string, ...(row ? { row } : {}) },
      );
    }
    return this.#finding('fork', upTo, `seq ${upTo}: the file's chain differs from the stored one`, {});
  }

  /** `full`: re-sends the stored range in chunks into a temporary table; the server names rows that differ. */
  async #compareStored(upTo: number): Promise<Finding | undefined> {
    if (upTo === 0) return undefined;
    await this.client.query(
      `CREATE TEMP TABLE IF NOT EXISTS sync_offered AS SELECT ${COLUMN_LIST} FROM ${SCHEMA}.chain_records WITH NO DATA`,
    );
    const chunk = this.options.chunkRows ?? DEFAULT_CHUNK_ROWS;
    for (let from = 1; from <= upTo; from += chunk) {
      const to = Math.min(upTo, from + chunk - 1);
      await this.client.query('TRUNCATE sync_offered');
      await this.#copy('sync_offered', this.#localRows(from, to));
      const differing = await this.client.query<{
        seq: number;
        stored_hash: string | null;
        offered_hash: string;
      }>(
        `SELECT o.seq, c.row_hash AS stored_hash, o.row_hash AS offered_hash
         FROM sync_offered o LEFT JOIN ${SCHEMA}.chain_records c ON c.${ORIGIN} = o.${ORIGIN} AND c.seq = o.seq
         WHERE c.seq IS NULL OR ROW(${chainColumnList('c')}) IS DISTINCT FROM ROW(${chainColumnList('o')})
         ORDER BY o.seq LIMIT 1`,
      );
      const d = differing.rows[0];
      if (d) {
        const row = this.#localRow(d.seq);
        return this.#finding(
          'contradicts-stored',
          d.seq,
          `seq ${d.seq}: the file's record differs from the stored one ` +
            `(stored row_hash ${d.stored_hash ?? 'none'}, file ${d.offered_hash}): the file was edited after it was pushed`,
          { storedHash: d.stored_hash ?? undefined, offeredHash: d.offered_hash, ...(row ? { row } : {}) },
        );
      }
      this.#report.comparedRecords += to - from + 1;
    }
    return undefined;
  }

  async #push(): Promise<SyncReport> {
    const chunk = this.options.chunkRows ?? DEFAULT_CHUNK_ROWS;
    let stored = new Set(
      (
        await this.client.query<{ local_id: number }>(
          `SELECT local_id FROM ${SCHEMA}.checkpoints WHERE ${ORIGIN} = $1`,
          [this.stationId],
        )
      ).rows.map((r) => r.local_id),
    );
    let from = this.#report.centralHead + 1;
    for (;;) {
      const to = Math.min(this.localHead.seq, from + chunk - 1);
      const checkpoints = this.checkpoints.filter((c) => !stored.has(c.id) && c.headSeq <= to);
      if (to < from && checkpoints.length === 0) return this.#report;
      await this.client.query('BEGIN');
      try {
        await this.client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
          `credline.sync:${this.stationId}`,
        ]);
        // the ingest trigger's copy of the new rows (its transition table) stays in memory up to work_mem
        await this.client.query(`SET LOCAL work_mem = '${TRANSITION_MEMORY}'`);
        const head = await this.#centralHead();
        if (head.seq !== from - 1) {
          // another sync of this station got there first: go on from its head
          await this.client.query('ROLLBACK');
          if (head.seq > this.localHead.seq) return this.#report;
          from = head.seq + 1;
          continue;
        }
        if (to >= from) await this.#pushRows(from, to);
        await this.#pushCheckpoints(checkpoints);
        await this.client.query('COMMIT');
      } catch (error) {
        await this.client.query('ROLLBACK').catch(() => undefined);
        const refused = refusalOf(error, this.stationId);
        if (refused) return this.#refuse(refused);
        throw error;
      }
      this.#report.pushedRecords += Math.max(0, to - from + 1);
      this.#report.pushedCheckpoints += checkpoints.length;
      this.#report.centralHead = Math.max(this.#report.centralHead, to);
      stored = new Set([...stored, ...checkpoints.map((c) => c.id)]);
      await this.options.onProgress?.({
        stationId: this.stationId,
        centralHeadBefore: this.#report.centralHeadBefore,
        centralHead: this.#report.centralHead,
        localHead: this.localHead.seq,
      });
      from = to + 1;
    }
  }

  async #pushRows(from: number, to: number): Promise<void> {
    const rows = this.#localRows(from, to);
    if (this.options.method === 'insert') await this.#insert(rows);
    else await this.#copy(`${SCHEMA}.chain_records`, rows);
  }

  async #copy(table: string, rows: Iterable<FieldValue[]>): Promise<void> {
    const stream = this.client.query(copyFrom(`COPY ${table} (${COLUMN_LIST}) FROM STDIN`));
    await pipeline(Readable.from(copyLines(this.stationId, rows)), stream);
  }

  /** Multi-row INSERTs: one array parameter per column, unnested by the server. */
  async #insert(rows: Iterable<FieldValue[]>): Promise<void> {
    const casts = CENTRAL_CHAIN_COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPE_OF.get(c) ?? 'text'}[]`);
    const sql = `INSERT INTO ${SCHEMA}.chain_records (${COLUMN_LIST}) SELECT * FROM unnest(${casts.join(', ')})`;
    let columns: FieldValue[][] = CENTRAL_CHAIN_COLUMNS.map(() => []);
    const flush = async (): Promise<void> => {
      if ((columns[0] as FieldValue[]).length === 0) return;
      await this.client.query(sql, columns);
      columns = CENTRAL_CHAIN_COLUMNS.map(() => []);
    };
    for (const row of rows) {
      (columns[0] as FieldValue[]).push(this.stationId);
      for (let i = 0; i < row.length; i++) (columns[i + 1] as FieldValue[]).push(row[i] ?? null);
      if ((columns[0] as FieldValue[]).length === INSERT_ROWS) await flush();
    }
    await flush();
  }

  async #pushCheckpoints(checkpoints: readonly CheckpointRecord[]): Promise<void> {
    if (checkpoints.length === 0) return;
    const values: unknown[] = [];
    const tuples = checkpoints.map((c, i) => {
      values.push(
        this.stationId,
        c.id,
        c.headSeq,
        c.headHash,
        c.stationId,
        c.publicKey,
        c.reason,
        c.createdAt,
        c.signature,
      );
      return `(${Array.from({ length: 9 }, (_, j) => `$${i * 9 + j + 1}`).join(', ')})`;
    });
    await this.client.query(
      `INSERT INTO ${SCHEMA}.checkpoints (${ORIGIN}, local_id, head_seq, head_hash, station_id, public_key, reason,
         created_at, signature) VALUES ${tuples.join(', ')}`,
      values,
    );
  }

  /** The file's rows from..to; always read to the end (an abandoned iterator keeps the connection busy). */
  *#localRows(from: number, to: number): Generator<FieldValue[]> {
    yield* iterateChainRows(this.db, { fromSeq: from, toSeq: to });
  }

  #localRow(seq: number): FieldValue[] | undefined {
    return [...this.#localRows(seq, seq)][0];
  }

  #finding(
    kind: FindingKind,
    seq: number | null,
    detail: string,
    extra: { storedHash?: string | undefined; offeredHash?: string | undefined; row?: FieldValue[] },
  ): Finding & { row?: FieldValue[] } {
    return {
      stationId: this.stationId,
      seq,
      kind,
      detail: `station ${this.stationId}: ${detail}`,
      storedHash: extra.storedHash,
      offeredHash: extra.offeredHash,
      ...(extra.row ? { row: extra.row } : {}),
    };
  }

  /** Records the finding centrally (its own transaction) and ends the sync with it. */
  async #refuse(finding: Finding & { row?: FieldValue[] }): Promise<SyncReport> {
    const row = finding.row
      ? Object.fromEntries(CHAIN_COLUMNS.map((name, i) => [name, finding.row?.[i] ?? null]))
      : null;
    await this.client.query(
      `INSERT INTO ${SCHEMA}.findings (${ORIGIN}, seq, kind, detail, stored_hash, offered_hash, offered_row)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        finding.stationId,
        finding.seq,
        finding.kind,
        finding.detail,
        finding.storedHash ?? null,
        finding.offeredHash ?? null,
        row === null ? null : JSON.stringify(row),
      ],
    );
    this.#report.findings.push({
      stationId: finding.stationId,
      seq: finding.seq,
      kind: finding.kind,
      detail: finding.detail,
      storedHash: finding.storedHash,
      offeredHash: finding.offeredHash,
    });
    return this.#report;
  }
}

/** The ingest trigger's refusal (SQLSTATE CL001) as a finding; undefined for any other error. */
function refusalOf(error: unknown, stationId: string): Finding | undefined {
  const e = error as { code?: string; detail?: string; message?: string };
  if (e.code !== REFUSED) return undefined;
  let detail: { kind?: FindingKind; seq?: number; offered_hash?: string } = {};
  try {
    detail = JSON.parse(e.detail ?? '{}') as typeof detail;
  } catch {
    // the message alone names it
  }
  return {
    stationId,
    seq: detail.seq ?? null,
    kind: detail.kind ?? 'bad-hash',
    detail: e.message ?? 'refused',
    offeredHash: detail.offered_hash,
  };
}

/** The file's one station, or a usage error asking for --station. */
function onlyStationOf(db: Db, file: string): string {
  const rows = db.prepare('SELECT station_id FROM stations ORDER BY seq').pluck().all() as string[];
  if (rows.length === 1) return rows[0] as string;
  if (rows.length === 0) throw usageError('SYNC_NO_STATION', `${file}: the file records no station yet`);
  throw new CredlineError(
    'SYNC_STATION_AMBIGUOUS',
    `${file}: the file records stations ${rows.join(', ')}: name the chain's central station with --station`,
  );
}
