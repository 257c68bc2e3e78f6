/**
 * `evidence export` over the central store: the records of a batch (or everything) from every station, in order of
 * station id then seq, as the station export's CSV (same header, same cells). A batch exported centrally is
 * therefore byte for byte the stations' exports of that batch concatenated in that order (one header). A
 * `.sha256` sidecar names the file's SHA-256 and the stations' heads. The server formats the records (csv-sql.ts)
 * and streams them with `COPY … TO STDOUT`, one station at a time, from one snapshot; the client hashes and writes
 * the bytes as they come. Constant memory; a failed export leaves no file.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, unlinkSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { once } from 'node:events';
import { to as copyTo } from 'pg-copy-streams';
import { usageError } from '../errors/credline-error.js';
import { csvHeader } from '../evidence/index.js';
import { SCHEMA } from './chain-sql.js';
import { centralError } from './connect.js';
import { csvCellsSql } from './csv-sql.js';
import { filterConditions, type CentralFilter, type CentralReader } from './central-reader.js';

export interface CentralExportSummary {
  out: string;
  sidecar: string;
  records: number;
  sha256: string;
  stations: { stationId: string; records: number; lastSeq: number }[];
}

export async function exportCentral(
  reader: CentralReader,
  options: CentralFilter & { out: string },
): Promise<CentralExportSummary> {
  const hash = createHash('sha256');
  const out = createWriteStream(options.out, { mode: 0o600 });
  const stations: CentralExportSummary['stations'] = [];
  let records = 0;
  const write = async (chunk: string | Buffer): Promise<void> => {
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  try {
    await write(csvHeader());
    await reader.inSnapshot(async () => {
      for (const stationId of await stationsOf(reader, options)) {
        const where = filterConditions({ ...options, stationId }, 'r.', (v) =>
          reader.client.escapeLiteral(v),
        ).join(' AND ');
        const copy = reader.client.query(
          copyTo(
            `COPY (SELECT ${csvCellsSql('r')} FROM ${SCHEMA}.chain_records r WHERE ${where} ORDER BY r.seq)
             TO STDOUT WITH (FORMAT csv)`,
          ),
        );
        try {
          for await (const chunk of copy) await write(chunk as Buffer);
        } catch (error) {
          throw centralError(reader.target, error);
        }
        if (copy.rowCount === 0) continue;
        const last = await reader.query<{ seq: number }>(
          `SELECT max(r.seq) AS seq FROM ${SCHEMA}.chain_records r WHERE ${where}`,
        );
        stations.push({ stationId, records: copy.rowCount, lastSeq: last[0]?.seq ?? 0 });
        records += copy.rowCount;
      }
    });
    out.end();
    await once(out, 'close');
  } catch (error) {
    out.destroy();
    removeQuietly(options.out);
    throw error;
  }
  const sha256 = hash.digest('hex');
  const sidecar = `${options.out}.sha256`;
  try {
    writeFileSync(
      sidecar,
      `${sha256}  ${basename(options.out)}\n` +
        `# credline central evidence export format=csv records=${records}` +
        (options.batchId === undefined ? '' : ` batch=${options.batchId}`) +
        '\n' +
        stations.map((s) => `# station ${s.stationId} records=${s.records} last seq=${s.lastSeq}\n`).join(''),
      { mode: 0o600 },
    );
  } catch (error) {
    throw usageError('CENTRAL_EXPORT', `cannot write ${sidecar}: ${(error as Error).message}`, error);
  }
  return { out: options.out, sidecar, records, sha256, stations };
}

/** The registered stations the export covers, by id (one, with a station filter). */
async function stationsOf(reader: CentralReader, filter: CentralFilter): Promise<string[]> {
  const rows = await reader.query<{ station_id: string }>(
    `SELECT station_id FROM ${SCHEMA}.stations WHERE $1::text IS NULL OR station_id = $1 ORDER BY station_id`,
    [filter.stationId ?? null],
  );
  return rows.map((r) => r.station_id);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created
  }
}
