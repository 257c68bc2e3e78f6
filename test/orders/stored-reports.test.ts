/**
 * Order reports stored in the evidence store: each signed report is kept as written and sealed into the chain, so
 * `evidence verify` finds an edited one; the pack of a batch (here the web console's download) carries the latest
 * report of each station for the orders whose units are in the batch, by itself; a stored report the store has moved
 * on from stops the pack with what to do.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openEvidenceStore, verifyEvidence } from '../../src/evidence/index.js';
import {
  createOrderReport,
  OrderLedger,
  serialPoolOf,
  storedOrderReports,
  storeOrderReport,
} from '../../src/orders/index.js';
import { PackBuilder } from '../../src/web/pack-builder.js';
import { BATCH, createConsoleFixture } from '../web/fixture.js';
import { signedOrder, STATION_SEED, tempDir } from './fixtures.js';

const order = signedOrder({
  profileId: 'credline-agent',
  serials: { kind: 'range', prefix: 'DEMO-', width: 6, first: 100001, last: 100010 },
});

/** The console fixture (5 PASS units DEMO-100001 … 5 in DEMO-B1) made under work order WO-42, its report stored. */
function storeWithReport(): string {
  const file = createConsoleFixture();
  const store = openEvidenceStore(file);
  try {
    const ledger = OrderLedger.open(store, order, serialPoolOf(order.order.serials));
    for (let n = 100001; n <= 100005; n++) {
      ledger.admit(`DEMO-${n}`, 'line1');
      ledger.settle(`DEMO-${n}`, 'pass', true, 'line1');
    }
    const first = createOrderReport(store, order, { stationId: 'line1', seed: STATION_SEED });
    storeOrderReport(store, first);
    const latest = createOrderReport(store, order, { stationId: 'line1', seed: STATION_SEED });
    storeOrderReport(store, latest);
  } finally {
    store.close();
  }
  return file;
}

describe('order reports in the evidence store', () => {
  it('are sealed into the chain, and the latest of each station is found for the batch', () => {
    const file = storeWithReport();
    expect(verifyEvidence(file).problems).toEqual([]);
    const store = openEvidenceStore(file, { readonly: true });
    try {
      const stored = storedOrderReports(store, BATCH);
      expect(stored.map((r) => [r.id, r.orderId, r.stationId])).toEqual([[2, 'WO-42', 'line1']]);
      expect(stored[0]?.sealSeq).toBe(store.head().seq);
      expect(JSON.parse(stored[0]?.text ?? '')).toMatchObject({ report: { pass: 5, orderId: 'WO-42' } });
      expect(storedOrderReports(store, 'OTHER-BATCH')).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('are found edited by evidence verify', () => {
    const file = join(tempDir(), 'edited.db');
    copyFileSync(storeWithReport(), file);
    const db = new Database(file);
    db.exec(`DROP TRIGGER order_reports_no_update;
      UPDATE order_reports SET report_json = replace(report_json, '"pass": 5', '"pass": 6') WHERE id = 2;`);
    db.close();
    const problems = verifyEvidence(file)
      .problems.map((p) => p.message)
      .join('\n');
    expect(problems).toMatch(/order report of work order WO-42 by station line1/);
  });

  it('travel in the console’s pack download by themselves, and stop it once the store has moved on', async () => {
    const file = storeWithReport();
    const zip = Buffer.from(await new PackBuilder(file).build(BATCH));
    expect(zip.includes('orders/WO-42-line1.report.json')).toBe(true);
    expect(zip.includes('orders/check.json')).toBe(true);

    const store = openEvidenceStore(file);
    try {
      OrderLedger.open(store, order, serialPoolOf(order.order.serials)).admit('DEMO-100006', 'line1');
    } finally {
      store.close();
    }
    await expect(new PackBuilder(file).build(BATCH)).rejects.toThrow(
      /the latest stored report of work order WO-42 by station line1 does not match the store \(remaining: report 5, store 4.*credline order report/,
    );
  });
});
