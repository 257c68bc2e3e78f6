/**
 * A batch's support period extended after it was opened (provision --support-end, a batch-terms record): the
 * statement, retention and duties go by the period in force, not the batch record's original end.
 */
import { describe, expect, it } from 'vitest';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { listRetention } from '../../src/compliance/compliance-retention.js';
import { openComplianceStore } from '../../src/compliance/compliance-store.js';
import { assessDuties } from '../../src/compliance/duties.js';
import { gatherDutyEvidence } from '../../src/compliance/duty-evidence.js';
import { buildStatement } from '../../src/compliance/statement.js';
import { createEvidenceFixture } from './evidence-fixture.js';
import { demoRecord, thrownBy } from './helpers.js';

const REQUEST = {
  batch: 'DEMO-B1',
  signatory: 'Ana Silva, Head of Compliance',
  place: 'Leeds',
  date: '2026-12-03',
};

function recordWithSupport(endDate: string, revision = 1) {
  const record = demoRecord();
  record.revision = revision;
  record.supportPeriod = { ...record.supportPeriod, endDate } as NonNullable<typeof record.supportPeriod>;
  return record;
}

describe('a batch whose support period was extended (batch terms)', () => {
  it('issues a statement for the period in force and refuses one the extension contradicts', () => {
    const db = createEvidenceFixture({ devices: 2, extendSupportTo: '2040-12-31' });
    const store = openComplianceStore(db, { now: () => new Date('2026-12-03T12:00:00Z') });
    try {
      const stale = recordWithSupport('2031-12-31');
      store.importProductRecord(stale);
      const refused = thrownBy(() =>
        store.recordStatement(buildStatement(stale, { ...REQUEST, today: '2026-12-03' })),
      );
      expect(refused.code).toBe('BATCH_SUPPORT_MISMATCH');
      expect(refused.message).toMatch(
        /support period ending 2031-12-31, extended to 2040-12-31 \(evidence seq \d+\).*record the extended support period in the product record/,
      );
      const current = recordWithSupport('2040-12-31', 2);
      store.importProductRecord(current);
      const issued = store.recordStatement(buildStatement(current, { ...REQUEST, today: '2026-12-03' }));
      expect(issued.statement.supportPeriod.endDate).toBe('2040-12-31');
      expect(issued.retainUntil).toBe('2040-12-31');
    } finally {
      store.close();
    }
  });

  it('keeps the batch evidence and its statement as long as the extended period', () => {
    const db = createEvidenceFixture({ devices: 2 });
    const issue = openComplianceStore(db, { now: () => new Date('2026-12-03T12:00:00Z') });
    issue.importProductRecord(demoRecord());
    issue.recordStatement(buildStatement(demoRecord(), { ...REQUEST, today: '2026-12-03' }));
    issue.close();
    const extendedDb = createEvidenceFixture({ devices: 2, extendSupportTo: '2040-12-31' });
    for (const [file, batchUntil] of [
      [db, '2036-12-02'],
      [extendedDb, '2040-12-31'],
    ] as const) {
      const store = openComplianceStore(file);
      const batch = listRetention(store).find((e) => e.kind === 'batch');
      expect(batch?.retainUntil).toBe(batchUntil);
      if (file === extendedDb)
        expect(batch?.basis).toMatch(
          /support period extended from 2031-12-31 to 2040-12-31 \(evidence seq \d+\)/,
        );
      store.close();
    }
  });

  it('extends the retention of a statement issued before the extension', () => {
    const db = createEvidenceFixture({ devices: 2 });
    const issue = openComplianceStore(db, { now: () => new Date('2026-12-03T12:00:00Z') });
    issue.importProductRecord(demoRecord());
    issue.recordStatement(buildStatement(demoRecord(), { ...REQUEST, today: '2026-12-03' }));
    expect(listRetention(issue).find((e) => e.kind === 'statement')?.retainUntil).toBe('2036-12-02');
    const keyId = 'd9c183eb84616abf'; // the fixture's key: the derivation test-vector key
    const terms = { batchId: 'DEMO-B1', keyId, testKey: true, alphabet: UNAMBIGUOUS56, passwordLength: 12 };
    issue.evidence.bindBatch(terms);
    issue.evidence.bindBatch({ ...terms, supportEndDate: '2040-12-31' });
    expect(listRetention(issue).find((e) => e.kind === 'statement')?.retainUntil).toBe('2040-12-31');
    issue.close();
  });

  it('duties: a support period extended beyond the published one is missing until published', () => {
    const db = createEvidenceFixture({ devices: 2, extendSupportTo: '2040-12-31' });
    const store = openComplianceStore(db, { now: () => new Date('2026-12-03T12:00:00Z') });
    try {
      store.importProductRecord(recordWithSupport('2040-12-31'));
      store.recordStatement(
        buildStatement(recordWithSupport('2040-12-31'), { ...REQUEST, today: '2026-12-03' }),
      );
      const published = () =>
        assessDuties(demoRecord(), gatherDutyEvidence(store, demoRecord().id)).find(
          (s) => s.duty.id === 'support-period-published',
        );
      expect(published()).toMatchObject({ state: 'met' });
      const evidence = gatherDutyEvidence(store, demoRecord().id);
      const stale = evidence.revisions.map((r) => ({ ...r, record: recordWithSupport('2031-12-31') }));
      const state = assessDuties(demoRecord(), { ...evidence, revisions: stale }).find(
        (s) => s.duty.id === 'support-period-published',
      );
      expect(state?.state).toBe('missing');
      expect(state?.detail).toMatch(/batch DEMO-B1's support period extended to 2040-12-31/);
      expect(state?.evidence.map((r) => r.seq)).toContain(store.evidence.getBatchTerms('DEMO-B1')?.seq);
    } finally {
      store.close();
    }
  });
});
