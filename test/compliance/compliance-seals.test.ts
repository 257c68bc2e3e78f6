/**
 * Compliance rows are sealed into the hash chain: an edit made with the append-only triggers dropped (and put back)
 * is still found by `evidence verify`, which names the row and the seal; so is a deleted row, an inserted one, and a
 * seal re-written by a forger who re-hashes the chain (the signed checkpoint after it no longer matches).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openComplianceStore } from '../../src/compliance/compliance-store.js';
import { buildStatement } from '../../src/compliance/statement.js';
import { exportEvidence, verifyEvidence, openEvidenceStore } from '../../src/evidence/index.js';
import { renderVerifyReport } from '../../src/cli/evidence/render-text.js';
import { TEST_STATION_SEED } from '../evidence/helpers.js';
import { rehashChain, tamper } from '../evidence/tamper.js';
import { createEvidenceFixture } from './evidence-fixture.js';
import { demoRecord, HAS_PYTHON3, temporaryDirectory } from './helpers.js';

const REQUEST = {
  batch: 'DEMO-B1',
  signatory: 'Ana Silva, Head of Compliance',
  place: 'Leeds',
  date: '2024-02-29',
  backdatedReason: 'fixture: a leap-day statement for the retention rule',
};

/** A store with one product record, its batch link and one issued statement, then a signed checkpoint. */
function issuedStore(): string {
  const db = createEvidenceFixture({ devices: 2 });
  const store = openComplianceStore(db, { now: () => new Date('2024-02-29T12:00:00Z') });
  store.importProductRecord(demoRecord());
  store.recordStatement(buildStatement(demoRecord(), { ...REQUEST, today: '2024-03-01' }));
  store.close();
  const evidence = openEvidenceStore(db);
  evidence.writeCheckpoint(TEST_STATION_SEED, { stationId: 'line1', reason: 'test' });
  evidence.close();
  return db;
}

function sealSeqs(db: string): Record<string, number> {
  const raw = new Database(db, { readonly: true });
  const rows = raw.prepare('SELECT sealed_table, seq FROM compliance_seals').all() as {
    sealed_table: string;
    seq: number;
  }[];
  raw.close();
  return Object.fromEntries(rows.map((r) => [r.sealed_table, r.seq]));
}

function complianceProblems(db: string): { seq?: number; message: string }[] {
  const report = verifyEvidence(db);
  expect(report.ok).toBe(false);
  return report.problems.filter((p) => p.kind === 'compliance');
}

describe('compliance seals', () => {
  it('seal each product record, batch link and statement in the chain as it is written', () => {
    const db = issuedStore();
    expect(Object.keys(sealSeqs(db)).sort()).toEqual([
      'batch_products',
      'issued_statements',
      'product_records',
    ]);
    const report = verifyEvidence(db);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, unsigned: 0, compliance: { rows: 3, unsealed: 0 } });
    expect(renderVerifyReport(report)).toContain('3 compliance row(s), each matching its seal in the chain');
    const store = openEvidenceStore(db, { readonly: true });
    expect(store.stats().complianceSeals).toBe(3);
    store.close();
  });

  it('find a statement edited with its triggers dropped and put back, naming the row and its seal', () => {
    const db = issuedStore();
    tamper(db, `UPDATE issued_statements SET retain_until = '2026-01-01'`, { restoreTriggers: true });
    const seq = sealSeqs(db)['issued_statements'];
    expect(complianceProblems(db)).toEqual([
      {
        kind: 'compliance',
        seq,
        message: expect.stringMatching(
          new RegExp(
            `^issued_statements row 1 \\(statement of compliance issued .* for batch DEMO-B1\\) does not match ` +
              `the digest sealed at seq ${String(seq)} .*: the row was edited after it was sealed$`,
          ),
        ),
      },
    ]);
  });

  it('find an edited product record and an edited batch link', () => {
    const db = issuedStore();
    tamper(
      db,
      `UPDATE product_records SET support_end_date = '2040-12-31';
       UPDATE batch_products SET product_id = 'other-product'`,
      { restoreTriggers: true },
    );
    const messages = complianceProblems(db).map((p) => p.message);
    expect(messages).toEqual([
      expect.stringMatching(
        /^product_records row 1 \(product .* revision 1\) does not match the digest sealed/,
      ),
      expect.stringMatching(
        /^batch_products row DEMO-B1 \(batch DEMO-B1 is product other-product\) does not match/,
      ),
    ]);
  });

  it('find a deleted statement and a statement inserted outside credline', () => {
    const deleted = issuedStore();
    tamper(deleted, 'DELETE FROM issued_statements', { restoreTriggers: true });
    expect(complianceProblems(deleted)).toEqual([
      expect.objectContaining({
        seq: sealSeqs(deleted)['issued_statements'],
        message: expect.stringMatching(
          /^issued_statements row 1, sealed at seq \d+, is gone: the row was deleted$/,
        ),
      }),
    ]);

    const inserted = issuedStore();
    tamper(
      inserted,
      `INSERT INTO issued_statements (batch_id, product_id, product_revision, statement_json, content_hash,
         date_of_issue, retain_until, chain_head_seq, chain_head_hash, issued_at)
       SELECT batch_id, product_id, product_revision, statement_json, content_hash, date_of_issue, retain_until,
         chain_head_seq, chain_head_hash, '2024-03-02T09:00:00.000Z' FROM issued_statements`,
      { restoreTriggers: true },
    );
    expect(complianceProblems(inserted).map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^issued_statements row 2 \(.*\) has no seal in the chain: it was inserted outside credline$/,
      ),
    ]);
  });

  it('catch a forger who also re-writes the seal and re-hashes the chain: the signed checkpoint no longer matches', () => {
    const db = issuedStore();
    tamper(db, `UPDATE issued_statements SET retain_until = '2026-01-01'`);
    const found = verifyEvidence(db).problems.find((p) => p.kind === 'compliance')?.message ?? '';
    const now = /row now ([0-9a-f]{64})/.exec(found)?.[1] as string;
    expect(now).toMatch(/^[0-9a-f]{64}$/);
    tamper(
      db,
      `UPDATE compliance_seals SET sealed_digest = '${now}' WHERE sealed_table = 'issued_statements'`,
    );
    rehashChain(db);
    const report = verifyEvidence(db);
    expect(report.problems.filter((p) => p.kind === 'compliance' || p.kind === 'chain')).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'checkpoint',
        message: expect.stringMatching(/records up to seq \d+ were rewritten/),
      }),
    ]);
  });

  it.skipIf(!HAS_PYTHON3)(
    'are re-verified with the rest of the chain by the Python script in docs/evidence.md',
    async () => {
      const script = /```python\n([\s\S]*?)```/.exec(readFileSync('docs/evidence.md', 'utf8'))?.[1] ?? '';
      const dir = temporaryDirectory();
      writeFileSync(join(dir, 'verify_export.py'), script);
      const summary = await exportEvidence(issuedStore(), { format: 'csv', out: join(dir, 'all.csv') });
      expect(readFileSync(summary.out, 'utf8')).toContain('compliance-seal,');
      const run = spawnSync('python3', ['verify_export.py', 'all.csv'], { cwd: dir, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe(`${summary.records} records OK; head ${summary.head.hash}`);
    },
  );
});
