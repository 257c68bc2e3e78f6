import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLabelRoute, renderLabelRouteMarkdown } from '../../src/compliance/label-route.js';
import { renderCustomerNotice } from '../../src/compliance/notices.js';
import type {
  ProductRecord,
  ScopeNote,
  SecurityIssueReporting,
} from '../../src/compliance/product-record.js';
import { productRecordWarnings, validateProductRecord } from '../../src/compliance/product-validate.js';
import { assessReadiness } from '../../src/compliance/readiness.js';
import type { RecognisedLabel } from '../../src/compliance/recognised-labels.js';
import { regulationsTextOn } from '../../src/compliance/regulations-text.js';
import { assessScope, renderScopeNote, VEHICLE_EXCEPTION } from '../../src/compliance/scope.js';
import { checkStatementFile } from '../../src/compliance/statement-check.js';
import { renderStatementMarkdown } from '../../src/compliance/statement-markdown.js';
import { buildStatement, type RequirementCompliance } from '../../src/compliance/statement.js';
import { demoRecord, temporaryDirectory, thrownBy } from './helpers.js';

const CLI = new URL('../../bin/credline.js', import.meta.url).pathname;

const CLS: RecognisedLabel = {
  scheme: 'sg-cls',
  level: '2',
  number: 'CLS-2026-0042',
  issuedOn: '2026-01-10',
  expiresOn: '2029-01-09',
  specification: 'CLS(IoT) Scheme Specifications CCC SP-151-2 version 1.4 (April 2025)',
};

function labelled(label: RecognisedLabel = CLS): ProductRecord {
  const record = demoRecord();
  delete record.complianceBasis;
  record.recognisedLabel = label;
  return record;
}

const REQUEST = {
  batch: 'B-1',
  signatory: 'Ana Silva, Head of Compliance',
  place: 'Leeds',
  today: '2026-12-03',
};

describe('the text of the Regulations', () => {
  it('follows the instruments in force on the day', () => {
    expect(regulationsTextOn('2025-02-24')).toBe('SI 2023/1007 as made');
    expect(regulationsTextOn('2025-02-25')).toBe('SI 2023/1007 as amended by S.I. 2025/211');
    expect(regulationsTextOn('2025-12-04')).toBe(
      'SI 2023/1007 as amended by S.I. 2025/211 and S.I. 2025/1267',
    );
  });
});

describe('scope note: the vehicle question (S.I. 2025/211)', () => {
  it('excepts each vehicle category, citing the amended Schedule 3', () => {
    for (const category of [
      'motor-vehicle',
      'two-or-three-wheel-vehicle-or-quadricycle',
      'agricultural-or-forestry-vehicle',
    ] as const) {
      const answers = { ...(demoRecord().scope as ScopeNote).answers, vehicle: { category } };
      const assessment = assessScope(answers);
      expect(assessment.outcome).toBe('excepted');
      expect(assessment.reliedOn).toBe(VEHICLE_EXCEPTION);
      expect(VEHICLE_EXCEPTION).toContain('S.I. 2025/211');
    }
    expect(
      assessScope({ ...(demoRecord().scope as ScopeNote).answers, vehicle: { category: 'none' } }).outcome,
    ).toBe('in-scope');
  });

  it('an older scope note still validates, says the question was not asked and which text it was decided under', () => {
    const record = demoRecord();
    delete (record.scope as ScopeNote).answers.vehicle;
    expect(validateProductRecord(record).issues).toBeUndefined();
    const note = renderScopeNote('Demo', record.scope as ScopeNote);
    expect(note).toContain(`${VEHICLE_EXCEPTION}: not asked`);
    expect(note).toContain('Produced under: SI 2023/1007 as amended by S.I. 2025/211 and S.I. 2025/1267');
    expect(productRecordWarnings(record, '2026-12-03').map((w) => w.path)).toContain(
      '$.scope.answers.vehicle',
    );
  });
});

describe('recognised labels (S.I. 2025/1267)', () => {
  it('validates the label against its scheme: level, specification, longest validity', () => {
    expect(validateProductRecord(labelled()).issues).toBeUndefined();
    const bad = labelled({
      ...CLS,
      level: 'STAR-1',
      specification: 'CCC SP-151-1',
      expiresOn: '2030-01-10',
    });
    expect(validateProductRecord(bad).issues?.map((i) => i.path)).toEqual([
      '$.recognisedLabel.level',
      '$.recognisedLabel.specification',
      '$.recognisedLabel.expiresOn',
    ]);
    const jcStar = labelled({
      scheme: 'jc-star',
      level: 'STAR-1',
      number: 'JC-1',
      issuedOn: '2026-01-01',
      expiresOn: '2027-12-31',
      specification: 'JST-CR-01-01-2024R1',
    });
    expect(validateProductRecord(jcStar).issues).toBeUndefined();
  });

  it('warns 90 days before the label expires, and once it has', () => {
    const record = labelled();
    expect(
      productRecordWarnings(record, '2028-10-10').filter((w) => w.path.startsWith('$.recognisedLabel')),
    ).toEqual([]);
    expect(productRecordWarnings(record, '2028-10-11')[0]?.message).toContain('expires in 90 day(s)');
    expect(productRecordWarnings(record, '2029-01-10')[0]?.message).toContain('expired 1 day(s) ago');
  });

  it('soc issue takes the label route, or issues a statement when asked, saying why', () => {
    const record = labelled();
    expect(thrownBy(() => buildStatement(record, REQUEST)).code).toBe('LABEL_ROUTE_AVAILABLE');
    const statement = buildStatement(record, { ...REQUEST, despiteLabel: 'the retailer asked for one' });
    expect(statement.labelHeld?.reason).toBe('the retailer asked for one');
    expect(statement.compliance.map((c) => [c.basis, c.condition])).toEqual([
      ['recognised-label', 'C'],
      ['recognised-label', 'C'],
      ['recognised-label', 'C'],
    ]);
    expect(statement.regulationsText).toBe('SI 2023/1007 as amended by S.I. 2025/211 and S.I. 2025/1267');
    const markdown = renderStatementMarkdown(statement);
    expect(markdown).toContain('Schedule 2 Condition C (S.I. 2025/1267)');
    expect(markdown).toContain('the retailer asked for one');
    expect(markdown).toContain('Produced under SI 2023/1007 as amended by S.I. 2025/211 and S.I. 2025/1267');
    const route = buildLabelRoute(record, {
      batch: 'B-1',
      dateOfSupply: '2026-12-01',
      recordedBy: 'Ana Silva',
      today: '2026-12-03',
    });
    expect(route.reliedOn).toBe('regulation 4A and Schedule 2A (inserted by S.I. 2025/1267)');
    expect(route.condition).toBe('Schedule 2 Condition C (S.I. 2025/1267)');
    expect(renderLabelRouteMarkdown(route)).toContain(
      "Which Schedule 2 condition (B or C) a scheme meets is credline's reading of S.I. 2025/1267",
    );
  });

  it('refuses a label that expired on the date of supply', () => {
    const record = labelled({ ...CLS, issuedOn: '2023-01-10', expiresOn: '2026-01-09' });
    expect(
      thrownBy(() =>
        buildLabelRoute(record, {
          batch: 'B-1',
          dateOfSupply: '2026-12-01',
          recordedBy: 'A',
          today: '2026-12-03',
        }),
      ).code,
    ).toBe('LABEL_NOT_CURRENT');
    expect(thrownBy(() => buildStatement(record, { ...REQUEST, despiteLabel: 'x' })).code).toBe(
      'LABEL_NOT_CURRENT',
    );
    expect(assessReadiness(record, '2026-12-03').state).toBe('not-ready');
  });
});

describe('product validate readiness', () => {
  it('says an excepted product gets no statement', () => {
    const record = demoRecord();
    (record.scope as ScopeNote).answers.vehicle = { category: 'motor-vehicle' };
    const readiness = assessReadiness(record, '2026-12-03');
    expect(readiness.summary).toBe(
      `excepted under ${VEHICLE_EXCEPTION}: no statement of compliance is issued for it`,
    );
  });
});

describe('the customer notice', () => {
  it('uses the clarified wording, links the policy, names no one for the contact unless told, says its text', () => {
    const { text, html } = renderCustomerNotice(demoRecord(), { today: '2026-12-03' });
    expect(text).toContain('This is the minimum length of time for which security updates will be provided');
    expect(text).toContain('please report it:');
    expect(html).toContain('<a href="https://example.com/security/disclosure-policy">');
    expect(text).toContain('Published under SI 2023/1007 as amended by S.I. 2025/211 and S.I. 2025/1267');
    const record = demoRecord();
    (record.securityIssueReporting as SecurityIssueReporting).handledBy = 'Example Imports Ltd (demo)';
    expect(renderCustomerNotice(record, { today: '2026-12-03' }).text).toContain(
      'please report it to Example Imports Ltd (demo):',
    );
  });
});

describe('statement declarations', () => {
  it('say "the manufacturers" for two, and soc check accepts it', () => {
    const statement = buildStatement(demoRecord(), REQUEST);
    expect(statement.preparedByDeclaration).toContain('on behalf of the manufacturers');
    expect(statement.complianceDeclaration).toContain(
      'In the opinion of the manufacturers, the manufacturers have complied',
    );
    const path = join(temporaryDirectory(), 's.json');
    writeFileSync(
      path,
      JSON.stringify({ ...statement, signatory: { ...statement.signatory, signature: 'signed' } }),
    );
    expect(checkStatementFile(path, { today: '2026-12-03' }).gaps).toEqual([]);
  });
});

describe('soc check: one rule for Schedule 2 routes', () => {
  function gapsOf(statement: object): string[] {
    const path = join(temporaryDirectory(), 's.json');
    writeFileSync(path, JSON.stringify(statement));
    return checkStatementFile(path, { today: '2026-12-03' }).gaps.map((g) => `${g.paragraph} ${g.problem}`);
  }
  const signed = (s: ReturnType<typeof buildStatement>) => ({
    ...s,
    signatory: { ...s.signatory, signature: 'signed' },
  });

  it('refuses an edition or standard product validate refuses', () => {
    const statement = signed(buildStatement(demoRecord(), REQUEST));
    (statement.compliance[1] as RequirementCompliance).standards = [
      { id: 'ISO/IEC 27001', version: '2022', dateOfIssue: '2022-10', provisions: ['A.5.7'] },
    ];
    (statement.compliance[2] as RequirementCompliance).standards = [
      { id: 'ETSI EN 303 645', version: 'V3.1.3', dateOfIssue: '2024-09', provisions: ['5.4-1'] },
    ];
    const gaps = gapsOf(statement);
    expect(gaps.some((g) => g.includes('"ISO/IEC 27001" is not a route'))).toBe(true);
    expect(gaps.some((g) => g.includes('got "V3.1.3"'))).toBe(true);
    expect(gaps.some((g) => g.includes('5.4-1 not part of Schedule 2 paragraph 3'))).toBe(true);
  });

  it("accepts a supplier's label, and finds one expired on the date of issue", () => {
    const statement = signed(buildStatement(labelled(), { ...REQUEST, despiteLabel: 'asked' }));
    expect(gapsOf(statement)).toEqual([]);
    const expired = { ...statement, dateOfIssue: '2029-02-01' };
    expect(gapsOf(expired).some((g) => g.includes('not current on the date of issue'))).toBe(true);
  });

  it("accepts a supplier's label route with its evidence", () => {
    const route = buildLabelRoute(labelled(), {
      batch: 'B-1',
      dateOfSupply: '2026-12-01',
      recordedBy: 'A',
      today: '2026-12-03',
    });
    expect(gapsOf(route)).toEqual([]);
    expect(gapsOf({ ...route, dateOfSupply: '2029-03-01' })).toEqual([
      'Sch 2A not current on the date of supply: the label expired on 2029-01-09, before 2029-03-01',
    ]);
    expect(gapsOf({ ...route, label: { ...route.label, level: '7' } })[0]).toContain('is not a level');
  });

  it('calls 2026-02-30 not a real date', () => {
    const statement = signed(buildStatement(demoRecord(), REQUEST));
    expect(gapsOf({ ...statement, dateOfIssue: '2026-02-30' })).toContain(
      '1(g) 2026-02-30 is not a real calendar date',
    );
  });
});

describe('credline soc issue / product validate on the label route', () => {
  it('records the label route instead of a statement, and validate says so', () => {
    const dir = temporaryDirectory();
    const product = join(dir, 'p.json');
    writeFileSync(product, JSON.stringify(labelled()));
    const validate = spawnSync(process.execPath, [CLI, 'product', 'validate', product], { encoding: 'utf8' });
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain('label route:');
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        'soc',
        'issue',
        '--product',
        product,
        '--batch',
        'B-1',
        '--signatory',
        'Ana Silva, Compliance',
        '--place',
        'Leeds',
        '--out',
        join(dir, 'out/'),
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('no statement issued');
    const route = JSON.parse(readFileSync(join(dir, 'out', 'label-route-demo-camera-B-1.json'), 'utf8')) as {
      format: string;
    };
    expect(route.format).toBe('credline-label-route');
  });
});
