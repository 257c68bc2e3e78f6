/**
 * `credline sync`: pushes a station file's chained records and checkpoints to the central store, in seq order, in
 * transactions of `chunkRows` records, under the station's advisory lock for the whole push. Each transaction
 * starts where the one before it ended and commits its rows with the checkpoints they cover; the server's ingest
 * trigger (migrations.ts) re-hashes every row and checks its link to the station's previous row before the commit.
 * So a push is idempotent (what is stored is never sent again), resumable (a cut connection loses the open
 * transactions only) and ordered. Large pushes by COPY use two connections in turn (turns.ts), the server checking
 * and committing the chunks in seq order. Anything the store refuses is recorded as a finding, named, and stops
 * the sync.
 *
 * Before pushing, sync compares the file with what is stored: the row at the stored head must have the stored
 * hash (a re-hashed or forked file does not), every checkpoint must be signed by the station's registered key;
 * `full` re-sends every stored row and the server compares each with its copy. */
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
import { CENTRAL_CHAIN_COLUMNS, chainColumnList, ORIGIN, SCHEMA } from './chain-sql.js';
import { centralError, connectCentral, REFUSED, type CentralClient, type CentralTarget } from './connect.js';
import { copyRows, insertCheckpoints, insertRows } from './row-transfer.js';
import { inTurns, type Turn } from './turns.js';
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
/** Room for a transaction's rows in the ingest trigger's transition table (~1 KB a row). */
const TRANSITION_MEMORY = '128MB';
const COLUMN_LIST = CENTRAL_CHAIN_COLUMNS.join(', ');

/** A `full` chunk found a row that differs (named in its finding): no further chunk starts. */
class Differs extends Error {}

interface Chunk {
  from: number;
  to: number;
  /** The checkpoints committed with the chunk's rows (the first chunk whose rows reach their head). */
  checkpoints: CheckpointRecord[];
}

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

  /**
   * `full`: re-sends the stored range, chunk by chunk (on two connections in turn), into a temporary table; the
   * server compares each row with the stored one and names the first that differs.
   */
  async #compareStored(upTo: number): Promise<Finding | undefined> {
    if (upTo === 0) return undefined;
    const chunks = this.#chunks(1, upTo);
    const found: (Finding & { row?: FieldValue[] })[] = [];
    await this.#inLanes(chunks.length, async (client, i, turn) => {
      turn.pass();
      const { from, to } = chunks[i] as Chunk;
      await client.query(
        `CREATE TEMP TABLE IF NOT EXISTS sync_offered AS SELECT ${COLUMN_LIST} FROM ${SCHEMA}.chain_records WITH NO DATA`,
      );
      await client.query('TRUNCATE sync_offered');
      await copyRows(client, 'sync_offered', this.stationId, this.#localRows(from, to));
      const differing = await client.query<{ seq: number; stored_hash: string | null; offered_hash: string }>(
        `SELECT o.seq, c.row_hash AS stored_hash, o.row_hash AS offered_hash
         FROM sync_offered o LEFT JOIN ${SCHEMA}.chain_records c ON c.${ORIGIN} = o.${ORIGIN} AND c.seq = o.seq
           AND c.${ORIGIN} = $1 AND c.seq BETWEEN $2 AND $3
         WHERE c.seq IS NULL OR ROW(${chainColumnList('c')}) IS DISTINCT FROM ROW(${chainColumnList('o')})
         ORDER BY o.seq LIMIT 1`,
        [this.stationId, from, to],
      );
      const d = differing.rows[0];
      if (d) {
        const row = this.#localRow(d.seq);
        found[i] = this.#finding(
          'contradicts-stored',
          d.seq,
          `seq ${d.seq}: the file's record differs from the stored one ` +
            `(stored row_hash ${d.stored_hash ?? 'none'}, file ${d.offered_hash}): the file was edited after it was pushed`,
          { storedHash: d.stored_hash ?? undefined, offeredHash: d.offered_hash, ...(row ? { row } : {}) },
        );
        throw new Differs(); // no further chunk starts
      }
      this.#report.comparedRecords += to - from + 1;
    }).catch((error: unknown) => {
      if (!(error instanceof Differs)) throw error;
    });
    return found.find((f) => f !== undefined);
  }

  /**
   * Pushes the records after the stored head in chunks, each in its own transaction with the checkpoints it
   * covers, under the station's lock for the whole push (another sync of the station waits, then starts at the
   * head this one left). COPY chunks go on two connections in turn; each streams its rows while the chunk before
   * it is checked and holds its COPY's end until that chunk has committed and been reported (onProgress), so the
   * server checks and commits them in seq order and a report is never overtaken by the next commit.
   */
  async #push(): Promise<SyncReport> {
    const lock = `credline.sync:${this.stationId}`;
    await this.client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      const head = await this.#centralHead();
      this.#report.centralHead = head.seq;
      if (head.seq > this.localHead.seq) return this.#report;
      const stored = new Set(
        (
          await this.client.query<{ local_id: number }>(
            `SELECT local_id FROM ${SCHEMA}.checkpoints WHERE ${ORIGIN} = $1`,
            [this.stationId],
          )
        ).rows.map((r) => r.local_id),
      );
      const chunks = this.#chunks(head.seq + 1, this.localHead.seq);
      const unstored = this.checkpoints.filter((c) => !stored.has(c.id));
      if (chunks.length === 0 && unstored.length > 0)
        chunks.push({ from: head.seq + 1, to: head.seq, checkpoints: [] });
      for (const c of unstored) (chunks.find((k) => c.headSeq <= k.to) ?? chunks.at(-1))?.checkpoints.push(c);
      await this.#inLanes(chunks.length, (client, i, turn) =>
        this.#pushChunk(client, chunks[i] as Chunk, turn),
      );
    } catch (error) {
      const refused = refusalOf(error, this.stationId);
      if (refused) return this.#refuse(refused);
      throw error;
    } finally {
      await this.client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
    }
    return this.#report;
  }

  async #pushChunk(client: CentralClient, chunk: Chunk, turn: Turn): Promise<void> {
    await client.query('BEGIN');
    try {
      // the ingest trigger's copy of the new rows (its transition table) stays in memory up to work_mem
      await client.query(`SET LOCAL work_mem = '${TRANSITION_MEMORY}'`);
      const rows = this.#localRows(chunk.from, chunk.to);
      if (chunk.to < chunk.from) await turn.after;
      else if (this.options.method === 'insert')
        await turn.after.then(() => insertRows(client, this.stationId, rows));
      else await copyRows(client, `${SCHEMA}.chain_records`, this.stationId, rows, turn.after);
      await insertCheckpoints(client, this.stationId, chunk.checkpoints);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    this.#report.pushedRecords += Math.max(0, chunk.to - chunk.from + 1);
    this.#report.pushedCheckpoints += chunk.checkpoints.length;
    this.#report.centralHead = Math.max(this.#report.centralHead, chunk.to);
    await this.options.onProgress?.({
      stationId: this.stationId,
      centralHeadBefore: this.#report.centralHeadBefore,
      centralHead: this.#report.centralHead,
      localHead: this.localHead.seq,
    });
  }

  /** from..to in chunks of `chunkRows` records. */
  #chunks(from: number, to: number): Chunk[] {
    const size = this.options.chunkRows ?? DEFAULT_CHUNK_ROWS;
    const chunks: Chunk[] = [];
    for (let at = from; at <= to; at += size)
      chunks.push({ from: at, to: Math.min(to, at + size - 1), checkpoints: [] });
    return chunks;
  }

  /** Runs `count` chunks on this connection, and a second one when there are several and they go by COPY. */
  async #inLanes(
    count: number,
    work: (client: CentralClient, index: number, turn: Turn) => Promise<void>,
  ): Promise<void> {
    const lanes = [this.client];
    if (count > 1 && this.options.method !== 'insert') lanes.push(await connectCentral(this.options.target));
    try {
      await inTurns(lanes, count, work);
    } finally {
      for (const lane of lanes.slice(1)) await lane.end().catch(() => undefined);
    }
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
