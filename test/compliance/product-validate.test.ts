import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadProductRecordFile,
  productRecordHash,
  validateProductRecord,
} from '../../src/compliance/product-validate.js';
import { demoRecord, DEMO_PRODUCT_PATH, temporaryDirectory, thrownBy } from './helpers.js';

function issuesOf(value: unknown): string[] {
  const result = validateProductRecord(value);
  return (result.issues ?? []).map((i) => `${i.path}: ${i.message}`);
}

describe('product record validation', () => {
  it('accepts the shipped demo record', () => {
    expect(issuesOf(demoRecord())).toEqual([]);
    expect(loadProductRecordFile(DEMO_PRODUCT_PATH).id).toBe('demo-camera');
  });

  it('accepts a minimal record (statement fields may still be missing)', () => {
    expect(issuesOf({ format: 'credline-product-record', schemaVersion: 1, id: 'p1', revision: 1 })).toEqual(
      [],
    );
  });

  it('refuses a support period given as a duration alone, citing regulation 2', () => {
    const record = demoRecord() as unknown as Record<string, unknown>;
    record['supportPeriod'] = { years: 5 };
    const issues = issuesOf(record);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^\$\.supportPeriod: gives a duration \(years\).*regulation 2.*endDate/);
  });

  it('names the JSON path of every structural problem at once', () => {
    const record = demoRecord();
    Object.assign(record.manufacturers?.[1] ?? {}, { adress: ['typo'] });
    Object.assign(record.securityIssueReporting?.contact ?? {}, { email: 'not-an-address' });
    Object.assign(record.supportPeriod ?? {}, { endDate: '31/12/2031' });
    Object.assign(record.scope?.answers.computer ?? {}, { kind: 'phablet' });
    const issues = issuesOf(record);
    expect(issues).toEqual(
      expect.arrayContaining([
        '$.manufacturers[1].adress: is not a known key (check the spelling)',
        '$.securityIssueReporting.contact.email: must be an e-mail address',
        '$.supportPeriod.endDate: must be a date written YYYY-MM-DD',
        expect.stringMatching(/^\$\.scope\.answers\.computer\.kind: must be one of "none"/),
      ]),
    );
  });

  it('refuses dates that do not exist', () => {
    const record = demoRecord();
    record.supportPeriod = { endDate: '2031-02-29' };
    expect(issuesOf(record)).toEqual(['$.supportPeriod.endDate: "2031-02-29" is not a real calendar date']);
  });

  it('refuses a current support period shorter than the one published at first supply', () => {
    const record = demoRecord();
    record.supportPeriod = { endDate: '2030-12-31', atFirstSupply: { endDate: '2031-12-31' } };
    expect(issuesOf(record)[0]).toMatch(/^\$\.supportPeriod\.endDate: .*para 3\(6\)/);
  });

  it('accepts only the Schedule 2 routes, in the editions regulation 2 names', () => {
    const record = demoRecord();
    record.complianceBasis = {
      passwords: {
        basis: 'schedule-2',
        standards: [
          { id: 'ETSI EN 303 645', version: 'V3.1.3', dateOfIssue: '2024-09', provisions: ['5.1-1'] },
        ],
      },
      securityIssueReporting: {
        basis: 'schedule-2',
        standards: [
          { id: 'ISO/IEC 29147', version: '2018', dateOfIssue: '2018-10', provisions: ['6.2.2', '6.5'] },
        ],
      },
      supportPeriodInformation: {
        basis: 'schedule-2',
        standards: [{ id: 'ISO/IEC 30111', version: '2019', dateOfIssue: '2019-10', provisions: ['7'] }],
      },
    };
    const issues = issuesOf(record);
    expect(issues).toEqual([
      expect.stringMatching(/^\$\.complianceBasis\.passwords\.standards\[0\]\.version: .*V2\.1\.1/),
      expect.stringMatching(/^\$\.complianceBasis\.passwords\.standards\[0\]\.dateOfIssue: /),
      expect.stringMatching(
        /^\$\.complianceBasis\.securityIssueReporting\.standards\[0\]\.provisions: must include 6\.2\.5/,
      ),
      expect.stringMatching(
        /^\$\.complianceBasis\.supportPeriodInformation\.standards\[0\]\.id: .*not a route/,
      ),
    ]);
  });

  it('hashes the same record the same whatever its key order', () => {
    const a = demoRecord();
    const b = JSON.parse(JSON.stringify(a, Object.keys(a).reverse())) as typeof a;
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(productRecordHash(reordered)).toBe(productRecordHash(a));
    expect(productRecordHash({ ...a, revision: 2 })).not.toBe(productRecordHash(a));
    expect(b.id).toBe(a.id);
  });

  it('reports JSON syntax errors with file, line and column', () => {
    const dir = temporaryDirectory();
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "format": "credline-product-record",\n  "id": oops\n}\n');
    const error = thrownBy(() => loadProductRecordFile(path));
    expect(error.message).toMatch(new RegExp(`^${path}:3:\\d+: not valid JSON`));
  });

  it('lists every problem of a file in one error', () => {
    const dir = temporaryDirectory();
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({ format: 'credline-product-record', schemaVersion: 2, id: 'Bad Id' }),
    );
    const error = thrownBy(() => loadProductRecordFile(path));
    expect(error.code).toBe('PRODUCT_RECORD_INVALID');
    expect(error.message).toContain('$.schemaVersion: must be 1');
    expect(error.message).toContain('$.revision: is required');
    expect(error.message).toContain('$.id: must match');
  });
});
