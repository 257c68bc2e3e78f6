/**
 * Sending a station's chain rows and checkpoints over one connection: COPY (the bulk path), batched INSERTs of
 * unnested arrays, and the checkpoints' INSERT. What the server does with them is the ingest trigger's business
 * (migrations.ts); these only carry them.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { CheckpointRecord, FieldValue } from '../evidence/index.js';
import { CENTRAL_CHAIN_COLUMNS, ORIGIN, PG_TYPE_OF, SCHEMA } from './chain-sql.js';
import type { CentralClient } from './connect.js';
import { copyLines } from './copy-text.js';

const COLUMN_LIST = CENTRAL_CHAIN_COLUMNS.join(', ');
const INSERT_ROWS = 5_000;

/**
 * COPYs `rows` (CHAIN_COLUMNS arrays) of station `origin` into `table`. The COPY's end, which makes the server run
 * the statement's triggers, waits for `before`; when `before` rejects, the COPY is abandoned (rolled back by the
 * server) and its reason thrown.
 */
export async function copyRows(
  client: CentralClient,
  table: string,
  origin: string,
  rows: Iterable<readonly FieldValue[]>,
  before: Promise<void> = Promise.resolve(),
): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${COLUMN_LIST}) FROM STDIN`));
  try {
    for (const text of copyLines(origin, rows)) if (!stream.write(text)) await once(stream, 'drain');
    await before;
  } catch (error) {
    stream.destroy(error as Error);
    await finished(stream).catch(() => undefined);
    throw error;
  }
  stream.end();
  await finished(stream);
}

/** Multi-row INSERTs: one array parameter per column, unnested by the server, 5,000 rows a statement. */
export async function insertRows(
  client: CentralClient,
  origin: string,
  rows: Iterable<readonly FieldValue[]>,
): Promise<void> {
  const casts = CENTRAL_CHAIN_COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPE_OF.get(c) ?? 'text'}[]`);
  const sql = `INSERT INTO ${SCHEMA}.chain_records (${COLUMN_LIST}) SELECT * FROM unnest(${casts.join(', ')})`;
  let columns: FieldValue[][] = CENTRAL_CHAIN_COLUMNS.map(() => []);
  const flush = async (): Promise<void> => {
    if ((columns[0] as FieldValue[]).length === 0) return;
    await client.query(sql, columns);
    columns = CENTRAL_CHAIN_COLUMNS.map(() => []);
  };
  for (const row of rows) {
    (columns[0] as FieldValue[]).push(origin);
    for (let i = 0; i < row.length; i++) (columns[i + 1] as FieldValue[]).push(row[i] ?? null);
    if ((columns[0] as FieldValue[]).length === INSERT_ROWS) await flush();
  }
  await flush();
}

export async function insertCheckpoints(
  client: CentralClient,
  origin: string,
  checkpoints: readonly CheckpointRecord[],
): Promise<void> {
  if (checkpoints.length === 0) return;
  const values: unknown[] = [];
  const tuples = checkpoints.map((c, i) => {
    values.push(
      origin,
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
  await client.query(
    `INSERT INTO ${SCHEMA}.checkpoints (${ORIGIN}, local_id, head_seq, head_hash, station_id, public_key, reason,
       created_at, signature) VALUES ${tuples.join(', ')}`,
    values,
  );
}
