/**
 * The console's central source against a real PostgreSQL cluster, without a browser: a batch made on two stations
 * is paged newest first with every result exactly once (one cursor per station); a station pushing again and the
 * store going away and coming back fold each new event once, and the line state says when the store is away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncStation } from '../../src/central/index.js';
import type { EvidenceStore } from '../../src/evidence/index.js';
import { openCentralSource, type ConsoleSource } from '../../src/web/index.js';
import { addUnits, serials, startCentral, stationFile, type CentralFixture } from '../central/helpers.js';
import { havePostgresServer } from '../support/postgres.js';

const ready = havePostgresServer('web console central source');

/** A clock that moves one second a reading, from `start`. */
function ticking(start: string): () => Date {
  let at = Date.parse(start);
  return () => new Date((at += 1000));
}

describe.skipIf(!ready)('the console over the central store (source)', () => {
  let central: CentralFixture;
  let source: ConsoleSource;
  let dir: string;
  const stores: Record<'line1' | 'line2', { file: string; store: EvidenceStore }> = {} as never;

  const push = async (id: 'line1' | 'line2'): Promise<void> => {
    const report = await syncStation({ file: stores[id].file, target: central.station(id) });
    expect(report.findings).toEqual([]);
  };

  beforeAll(async () => {
    central = await startCentral();
    dir = mkdtempSync(join(tmpdir(), 'credline-web-central-source-'));
    // The two stations' units interleave in time (line2's each half a second after line1's) until line2's end;
    // line1's 2,100-odd records take more than one chunk of the fold.
    stores.line1 = stationFile('line1', serials('A', 1_050), {
      file: join(dir, 'l1.db'),
      now: ticking('2026-12-01T10:00:00.000Z'),
    });
    stores.line2 = stationFile('line2', serials('B', 70), {
      file: join(dir, 'l2.db'),
      now: ticking('2026-12-01T10:00:00.500Z'),
    });
    await push('line1');
    await push('line2');
    source = await openCentralSource(central.reader);
  });
  afterAll(async () => {
    await source?.close();
    for (const s of Object.values(stores)) s.store.close();
    central?.cluster.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pages a batch made on two stations newest first, each result once', async () => {
    expect(await source.refresh()).toBe(true);
    expect(await source.refresh()).toBe(false);
    const [batch] = await source.listBatches();
    expect(batch?.tally).toEqual({ pass: 1_120, fail: 0, aborted: 0, open: 0 });
    expect(batch?.stations).toEqual([
      { stationId: 'line1', tally: { pass: 1_050, fail: 0, aborted: 0, open: 0 } },
      { stationId: 'line2', tally: { pass: 70, fail: 0, aborted: 0, open: 0 } },
    ]);

    const seen: { station?: string; seq: number; at: string }[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await source.batchResults('B1', { limit: 50, ...(before ? { before } : {}) });
      seen.push(...page.results.map((r) => ({ station: r.station, seq: r.seq, at: r.at })));
      before = page.nextBefore ?? undefined;
      pages++;
    } while (before !== undefined);
    expect(pages).toBe(23);
    expect(seen).toHaveLength(1_120);
    expect(new Set(seen.map((r) => `${r.station}:${r.seq}`)).size).toBe(1_120);
    expect(seen.map((r) => r.at)).toEqual(
      seen
        .map((r) => r.at)
        .sort()
        .reverse(),
    );
  });

  it('folds each new event once: after a station pushes again, and after the store was away', async () => {
    addUnits(stores.line1.store, 'line1', serials('C', 5));
    await push('line1');
    expect(await source.refresh()).toBe(true);
    expect((await source.listBatches())[0]?.tally.pass).toBe(1_125);

    central.cluster.stop('fast');
    expect(await source.refresh()).toBe(true);
    const away = await source.lineState(new Date());
    expect(away.notice).toMatch(
      /^The central store cannot be reached since \d\d:\d\d:\d\d UTC \(postgresql:\/\/auditor@/,
    );
    expect(away.notice).not.toContain('auditor-test-pw');
    expect(away.tally.pass).toBe(1_125);
    expect(await source.refresh()).toBe(false);
    await expect(source.listBatches()).rejects.toMatchObject({ exitCode: 3 });

    central.cluster.start();
    addUnits(stores.line2.store, 'line2', serials('D', 5));
    await push('line2');
    expect(await source.refresh()).toBe(true);
    const back = await source.lineState(new Date());
    expect(back.notice).toBeNull();
    expect(back.tally.pass).toBe(1_130);
    expect((await source.listBatches())[0]?.stations?.map((s) => s.tally.pass)).toEqual([1_055, 75]);
  });
});
