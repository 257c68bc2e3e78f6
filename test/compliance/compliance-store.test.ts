import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { listRetention } from '../../src/compliance/compliance-retention.js';
import { openComplianceStore } from '../../src/compliance/compliance-store.js';
import { buildStatement } from '../../src/compliance/statement.js';
import { verifyEvidence } from '../../src/evidence/index.js';
import { createEvidenceFixture } from './evidence-fixture.js';
import { demoRecord, thrownBy } from './helpers.js';

const REQUEST = {
  batch: 'DEMO-B1',
  signatory: 'Ana Silva, Head of Compliance',
  place: 'Leeds',
  date: '2024-02-29',
  backdatedReason: 'fixture: a leap-day statement for the retention rule',
};

function issuedStore(): { db: string } {
  const db = createEvidenceFixture({ devices: 2 });
  const store = openComplianceStore(db, { now: () => new Date('2024-02-29T12:00:00Z') });
  store.importProductRecord(demoRecord());
  const statement = buildStatement(demoRecord(), { ...REQUEST, today: '2024-03-01' });
  expect(store.recordStatement(statement).retainUntil).toBe('2034-02-28');
  store.close();
  return { db };
}

describe('compliance store', () => {
  it('keeps its tables append-only, and evidence verify still passes', () => {
    const { db } = issuedStore();
    const raw = new Database(db);
    expect(() => raw.prepare(`UPDATE issued_statements SET retain_until = '2025-01-01'`).run()).toThrow(
      /append-only/,
    );
    expect(() => raw.prepare('DELETE FROM product_records').run()).toThrow(/append-only/);
    raw.close();
    expect(verifyEvidence(db).ok).toBe(true);
  });

  it('notices a stored statement edited behind its back', () => {
    const { db } = issuedStore();
    const raw = new Database(db);
    raw.exec('DROP TRIGGER issued_statements_no_update');
    raw
      .prepare(
        `UPDATE issued_statements SET statement_json = json_set(statement_json, '$.placeOfIssue', 'Paris')`,
      )
      .run();
    raw.close();
    const store = openComplianceStore(db);
    expect(thrownBy(() => store.listStatements()).code).toBe('STATEMENT_TAMPERED');
    store.close();
    expect(verifyEvidence(db).ok).toBe(false); // the missing trigger is reported too
  });

  it('retains a 29 February statement until 28 February ten years on, longer once the period is extended', () => {
    const { db } = issuedStore();
    const store = openComplianceStore(db);
    const statementEntry = (): string | undefined =>
      listRetention(store).find((e) => e.kind === 'statement')?.retainUntil;
    expect(statementEntry()).toBe('2034-02-28');
    expect(listRetention(store).find((e) => e.kind === 'statement')?.basis).toContain(
      'the 10 years from issue govern (regulations 8(a) and 9(a))',
    );
    const extended = demoRecord();
    extended.revision = 2;
    extended.supportPeriod = { endDate: '2035-03-31', atFirstSupply: { endDate: '2031-12-31' } };
    store.importProductRecord(extended);
    expect(statementEntry()).toBe('2035-03-31');
    expect(listRetention(store).find((e) => e.kind === 'statement')?.basis).toContain(
      'the defined support period governs (regulations 8(b) and 9(b))',
    );
    const shortened = { ...extended, revision: 3, supportPeriod: { endDate: '2035-03-30' } };
    expect(thrownBy(() => store.importProductRecord(shortened)).code).toBe('SUPPORT_PERIOD_SHORTENED');
    expect(thrownBy(() => store.importProductRecord({ ...extended, revision: 1 })).code).toBe(
      'PRODUCT_REVISION_EXISTS',
    );
    store.close();
  });
});
