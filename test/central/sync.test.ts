/**
 * Two station files syncing into one central store (a real PostgreSQL server): idempotent, resumable pushes;
 * the same serial PASSed at both stations is a conflict naming both; a batch exported centrally is the stations'
 * exports concatenated in order of station id, then seq.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralReader, exportCentral, syncStation } from '../../src/central/index.js';
import { exportEvidence } from '../../src/evidence/index.js';
import { havePostgresServer } from '../support/postgres.js';
import { fingerprinter, passwordOf, TEST_KEY_ID } from '../evidence/helpers.js';
import { serials, startCentral, stationFile, tempDir, type CentralFixture } from './helpers.js';

const ready = havePostgresServer('central store tests');

describe.skipIf(!ready)('sync into one central store', () => {
  let central: CentralFixture;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(() => central?.cluster.destroy());

  it('pushes two stations, names the serial PASSed at both, and exports the batch as the stations do', async () => {
    const one = stationFile('line1', [...serials('SN', 30), 'SHARED-1']);
    const two = stationFile('line2', [...serials('TW', 20), 'SHARED-1']);
    // cells a spreadsheet would run, and cells CSV must quote: exported centrally as each station exports them
    const hostile = two.store.recordIntent({
      batchId: 'B1',
      serial: '-HOSTILE,"1"',
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprinter(passwordOf('-HOSTILE,"1"')),
      port: "'/dev/ttyUSB1",
      stationId: 'line2',
      operator: '=HYPERLINK("x")',
    });
    two.store.recordResult(hostile, {
      result: 'FAIL',
      readbackVerified: false,
      reasonCode: 'verify-mismatch',
      reasonText: 'read back, "twice"\nthen\r\tgave up \\ ok',
    });
    one.store.close();
    two.store.close();

    const first = await syncStation({ file: one.file, target: central.station('line1'), chunkRows: 16 });
    expect(first.findings).toEqual([]);
    expect(first.pushedRecords).toBe(first.localHead.seq);
    expect(first.centralHead).toBe(first.localHead.seq);
    expect(first.pushedCheckpoints).toBe(1);
    const second = await syncStation({ file: two.file, target: central.station('line2'), method: 'insert' });
    expect(second.findings).toEqual([]);
    expect(second.pushedRecords).toBe(second.localHead.seq);

    const again = await syncStation({ file: one.file, target: central.station('line1') });
    expect(again.pushedRecords).toBe(0);
    expect(again.pushedCheckpoints).toBe(0);
    const full = await syncStation({
      file: two.file,
      target: central.station('line2'),
      full: true,
      chunkRows: 7,
    });
    expect(full.findings).toEqual([]);
    expect(full.comparedRecords).toBe(second.localHead.seq);

    const reader = await CentralReader.open(central.reader);
    try {
      const conflicts = await reader.conflicts();
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({
        kind: 'serial',
        profileId: 'acme-cam',
        first: { stationId: 'line1', serial: 'SHARED-1', batchId: 'B1' },
        second: { stationId: 'line2', serial: 'SHARED-1', batchId: 'B1' },
      });

      const report = await reader.verify();
      expect(report.problems).toEqual([]);
      expect(report.stations.map((s) => [s.stationId, s.records, s.checkpoints])).toEqual([
        ['line1', first.localHead.seq, 1],
        ['line2', second.localHead.seq, 1],
      ]);

      const dir = tempDir();
      const parts = [];
      for (const file of [one.file, two.file]) {
        const out = join(dir, `${parts.length}.csv`);
        await exportEvidence(file, { format: 'csv', out, batchId: 'B1', parallel: false });
        parts.push(readFileSync(out, 'utf8'));
      }
      const header = parts[0]?.slice(0, parts[0].indexOf('\n') + 1) ?? '';
      const expected = header + parts.map((p) => p.slice(header.length)).join('');
      const out = join(dir, 'central.csv');
      const summary = await exportCentral(reader, { batchId: 'B1', out });
      expect(readFileSync(out, 'utf8')).toBe(expected);
      expect(summary.stations.map((s) => s.stationId)).toEqual(['line1', 'line2']);
    } finally {
      await reader.close();
    }
  });

  async function storedSeqs(stationId: string): Promise<{ count: number; distinct: number; max: number }> {
    const client = new pg.Client({ connectionString: central.owner.url });
    await client.connect();
    try {
      const r = await client.query(
        `SELECT count(*)::int AS count, count(DISTINCT seq)::int AS distinct, coalesce(max(seq), 0)::int AS max
         FROM credline.chain_records WHERE origin_station = $1`,
        [stationId],
      );
      return r.rows[0] as { count: number; distinct: number; max: number };
    } finally {
      await client.end();
    }
  }

  it('loses and doubles nothing when the server stops mid-sync and starts again', async () => {
    await central.addStation('stop1');
    const { file, store } = stationFile('stop1', serials('ST', 40));
    store.close();
    const target = central.station('line2');
    await expect(
      syncStation({
        file,
        target,
        chunkRows: 10,
        onProgress: () => central.cluster.stop('fast'),
      }),
    ).rejects.toMatchObject({ code: 'CENTRAL_UNREACHABLE', exitCode: 3 });
    central.cluster.start();
    const report = await syncStation({ file, target, chunkRows: 10 });
    expect(report.findings).toEqual([]);
    expect(report.centralHeadBefore).toBe(10); // the first chunk had committed before the stop
    expect(await storedSeqs('stop1')).toEqual({ count: 83, distinct: 83, max: 83 });
  });

  it('loses and doubles nothing when its connection is killed in the middle of a push', async () => {
    await central.addStation('kill1');
    const { file, store } = stationFile('kill1', serials('KL', 40));
    store.close();
    const target = central.station('line2');
    const owner = new pg.Client({ connectionString: central.owner.url });
    await owner.connect();
    try {
      // Holding the ingest lock stops the next push inside its COPY's check, its rows written but not committed.
      const sync = syncStation({
        file,
        target,
        chunkRows: 10,
        onProgress: async (p) => {
          if (p.centralHead === 10) await owner.query(`SELECT pg_advisory_lock(hashtext('credline.ingest'))`);
        },
      });
      const outcome = sync.then(
        () => 'finished',
        (error: unknown) => error,
      );
      for (;;) {
        const waiting = await owner.query(
          `SELECT pid FROM pg_stat_activity WHERE application_name = 'credline' AND wait_event_type = 'Lock'
             AND query LIKE 'COPY%'`,
        );
        if (waiting.rows.length > 0) {
          await owner.query('SELECT pg_terminate_backend($1)', [(waiting.rows[0] as { pid: number }).pid]);
          break;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      await owner.query(`SELECT pg_advisory_unlock(hashtext('credline.ingest'))`);
      expect(await outcome).toMatchObject({ exitCode: 3 });
      expect(await storedSeqs('kill1')).toEqual({ count: 10, distinct: 10, max: 10 });
    } finally {
      await owner.end();
    }
    const report = await syncStation({ file, target, chunkRows: 10 });
    expect(report.centralHeadBefore).toBe(10);
    expect(await storedSeqs('kill1')).toEqual({ count: 83, distinct: 83, max: 83 });
  });
});
