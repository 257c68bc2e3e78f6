/**
 * `evidence export` over the central store: the records of a batch (or everything) from every station, in order of
 * station id then seq, as the station export's CSV (same header, same cells). A batch exported centrally is
 * therefore byte for byte the stations' exports of that batch concatenated in that order (one header). A
 * `.sha256` sidecar names the file's SHA-256 and the stations' heads. Constant memory; a failed export leaves no
 * file.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, unlinkSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { once } from 'node:events';
import { usageError } from '../errors/credline-error.js';
import { csvHeader, csvRecords } from '../evidence/index.js';
import type { CentralFilter, CentralReader } from './central-reader.js';

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
  const stations = new Map<string, { records: number; lastSeq: number }>();
  let records = 0;
  const write = async (text: string): Promise<void> => {
    hash.update(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    await write(csvHeader());
    for await (const page of reader.rows(options)) {
      for (const row of page) {
        const s = stations.get(row.stationId) ?? { records: 0, lastSeq: 0 };
        s.records++;
        s.lastSeq = row.raw[3] as number;
        stations.set(row.stationId, s);
      }
      records += page.length;
      for (const text of csvRecords(page.map((r) => r.raw))) await write(text);
    }
    out.end();
    await once(out, 'close');
  } catch (error) {
    out.destroy();
    removeQuietly(options.out);
    throw error;
  }
  const sha256 = hash.digest('hex');
  const sidecar = `${options.out}.sha256`;
  const list = [...stations].map(([stationId, s]) => ({ stationId, ...s }));
  try {
    writeFileSync(
      sidecar,
      `${sha256}  ${basename(options.out)}\n` +
        `# credline central evidence export format=csv records=${records}` +
        (options.batchId === undefined ? '' : ` batch=${options.batchId}`) +
        '\n' +
        list.map((s) => `# station ${s.stationId} records=${s.records} last seq=${s.lastSeq}\n`).join(''),
      { mode: 0o600 },
    );
  } catch (error) {
    throw usageError('CENTRAL_EXPORT', `cannot write ${sidecar}: ${(error as Error).message}`, error);
  }
  return { out: options.out, sidecar, records, sha256, stations: list };
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created
  }
}
