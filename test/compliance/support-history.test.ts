import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openComplianceStore } from '../../src/compliance/compliance-store.js';
import type { ProductRecord } from '../../src/compliance/product-record.js';
import { buildStatement } from '../../src/compliance/statement.js';
import { createEvidenceFixture } from './evidence-fixture.js';
import { demoRecord, temporaryDirectory, thrownBy } from './helpers.js';

const CLI = new URL('../../bin/credline.js', import.meta.url).pathname;

function revision(n: number, supportPeriod: ProductRecord['supportPeriod']): ProductRecord {
  return { ...demoRecord(), revision: n, supportPeriod };
}

const REV3 = revision(3, { endDate: '2031-12-31', atFirstSupply: { endDate: '2031-12-31' } });
/** Extends to 2033 and drops the first-supply period. */
const REV4_DROPS = revision(4, { endDate: '2033-12-31' });
/** Moves the first-supply period earlier: an effective shortening. */
const REV4_MOVES = revision(4, { endDate: '2033-12-31', atFirstSupply: { endDate: '2029-12-31' } });
const REV4_KEEPS = revision(4, { endDate: '2033-12-31', atFirstSupply: { endDate: '2031-12-31' } });

describe('P1: the support period at first supply is history', () => {
  it('import refuses a revision that drops or moves it, naming the revision that fixed it', () => {
    const store = openComplianceStore(createEvidenceFixture());
    try {
      store.importProductRecord(REV3);
      for (const bad of [REV4_DROPS, REV4_MOVES]) {
        const error = thrownBy(() => store.importProductRecord(bad));
        expect(error.code).toBe('FIRST_SUPPLY_PERIOD_CHANGED');
        expect(error.message).toContain('fixed at 2031-12-31 (31 December 2031) by revision 3');
      }
      expect(store.importProductRecord(REV4_KEEPS).stored).toBe(true);
    } finally {
      store.close();
    }
  });

  it('an issued statement fixes it too: import names the statement', () => {
    const store = openComplianceStore(createEvidenceFixture());
    try {
      const rev1 = { ...demoRecord(), supportPeriod: { endDate: '2031-12-31' } };
      store.importProductRecord(rev1);
      store.recordStatement(
        buildStatement(rev1, { batch: 'DEMO-B1', signatory: 'A B, C', place: 'Leeds', date: '2026-02-01' }),
      );
      const rev2 = { ...rev1, revision: 2, supportPeriod: { endDate: '2033-12-31' } };
      const error = thrownBy(() => store.importProductRecord(rev2));
      expect(error.message).toContain('drops $.supportPeriod.atFirstSupply');
      expect(error.message).toContain('by statement 1 (issued 2026-02-01 for batch DEMO-B1)');
      const kept = {
        ...rev2,
        supportPeriod: { endDate: '2033-12-31', atFirstSupply: { endDate: '2031-12-31' } },
      };
      expect(store.importProductRecord(kept).stored).toBe(true);
    } finally {
      store.close();
    }
  });

  it('product validate --previous and product import (CLI) refuse (exit 2)', () => {
    const dir = temporaryDirectory();
    const write = (name: string, record: ProductRecord): string => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(record));
      return path;
    };
    const previous = write('r3.json', REV3);
    for (const bad of [REV4_DROPS, REV4_MOVES]) {
      const run = spawnSync(
        process.execPath,
        [CLI, 'product', 'validate', write('r4.json', bad), '--previous', previous],
        { encoding: 'utf8' },
      );
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('by revision 3');
    }
    const db = createEvidenceFixture();
    const importFile = (file: string) =>
      spawnSync(process.execPath, [CLI, 'product', 'import', file, '--db', db], { encoding: 'utf8' });
    expect(importFile(previous).status).toBe(0);
    const refused = importFile(write('r4.json', REV4_DROPS));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('by revision 3');
  });
});
