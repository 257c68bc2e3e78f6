/**
 * The retention rule (regulations 8 and 9), written once in the evidence store and used by compliance too: a batch
 * records it as retention_until, statements as their retain-until date (test/compliance/retention.test.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tenYearPeriodEnd } from '../../src/evidence/index.js';
import { newStore, tempDir } from './helpers.js';

describe('retention', () => {
  it('ends the day before the tenth anniversary, stepping back across month, leap-day and year boundaries', () => {
    expect(tenYearPeriodEnd('2026-03-01')).toBe('2036-02-29');
    expect(tenYearPeriodEnd('2025-03-01')).toBe('2035-02-28');
    expect(tenYearPeriodEnd('2020-01-01')).toBe('2029-12-31');
    expect(tenYearPeriodEnd('2020-05-01')).toBe('2030-04-30');
    expect(tenYearPeriodEnd('0095-07-01')).toBe('0105-06-30');
  });

  it("keeps a batch's evidence for the later of 10 years from the batch and its support period", () => {
    const store = newStore(join(tempDir(), 'credline.db'), () => new Date('2024-02-29T12:00:00.000Z'));
    expect(store.getBatch('B1')?.retentionUntil).toBe('2034-02-28');
    store.ensureBatch({
      batchId: 'B2',
      productType: 'camera',
      profileId: 'acme-cam',
      profileRevision: 3,
      profileHash: 'c0ffee'.padEnd(64, '0'),
      supportEndDate: '2038-12-31',
    });
    expect(store.getBatch('B2')?.retentionUntil).toBe('2038-12-31');
    store.close();
  });
});
