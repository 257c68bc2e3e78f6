import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProductRecord } from '../../src/compliance/product-record.js';
import { readJsonClaims, readMarkdownClaims } from '../../src/compliance/statement-claims.js';
import { checkStatementClaims } from '../../src/compliance/statement-check.js';
import { renderStatementHtml } from '../../src/compliance/statement-html.js';
import { renderStatementMarkdown } from '../../src/compliance/statement-markdown.js';
import { renderStatementPdf } from '../../src/compliance/statement-pdf.js';
import { buildStatement, type StatementRequest } from '../../src/compliance/statement.js';
import { demoRecord, temporaryDirectory, thrownBy } from './helpers.js';

const REQUEST: StatementRequest = {
  batch: 'DEMO-B1',
  signatory: 'Zoë Ångström-Łukasiewicz, Head of Compliance',
  place: 'Exampleton, United Kingdom',
  date: '2026-02-01',
  today: '2026-11-24',
};

/** Text every rendering must show: one or more values per Schedule 4 field. */
const SCHEDULE_4_TEXT = [
  'Indoor Wi-Fi security camera (example)', // 1(a) type
  'DEMO-B1', // 1(a) batch
  'Example Devices Ltd (demo, not a real company)', // 1(b)
  'Παράδειγμα Ηλεκτρονικά Α.Ε. (demo)', // 1(b), Greek
  'Θεσσαλονίκη 000 00',
  'Przykład Zastępca Sp. z o.o. (demo)', // 1(b) authorised representative, Polish
  '00-000 Łódź',
  'prepared by or on behalf of the manufacturer', // 1(c)
  'In the opinion of the manufacturer', // 1(d)
  'Schedule 1 paragraph 1',
  'Schedule 2 paragraph 2',
  'ETSI EN 303 645, version V2.1.1, date of issue 2020-06-19', // 1(2)
  '31 December 2031', // 1(e)
  'Zoë Ångström-Łukasiewicz', // 1(f)
  'Head of Compliance',
  'Exampleton, United Kingdom', // 1(g)
  '1 February 2026',
];

describe('statement of compliance', () => {
  const statement = buildStatement(demoRecord(), REQUEST);

  it('carries every Schedule 4 field and the retention date', () => {
    expect(statement.product).toEqual({
      brand: 'Example Brand (demo)',
      model: 'DEMO-CAM-1',
      type: 'Indoor Wi-Fi security camera (example)',
      batch: 'DEMO-B1',
    });
    expect(statement.signatory).toEqual({
      name: 'Zoë Ångström-Łukasiewicz',
      function: 'Head of Compliance',
      organisation: 'Example Devices Ltd (demo, not a real company)',
    });
    expect(statement.compliance.map((c) => c.basis)).toEqual(['schedule-1', 'schedule-2', 'schedule-2']);
    expect(statement.retainUntil).toBe('2036-01-31');
    expect(statement.source?.productRecordHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses the support period that was correct at first supply (para 1(e))', () => {
    const record = demoRecord();
    record.supportPeriod = { endDate: '2033-12-31', atFirstSupply: { endDate: '2031-12-31' } };
    const extended = buildStatement(record, REQUEST);
    expect(extended.supportPeriod.endDate).toBe('2031-12-31');
    expect(extended.retainUntil).toBe('2036-01-31');
    record.supportPeriod = { endDate: '2040-06-30', atFirstSupply: { endDate: '2031-12-31' } };
    expect(buildStatement(record, REQUEST).retainUntil).toBe('2040-06-30');
  });

  it('refuses, naming every missing field at once', () => {
    const bare: ProductRecord = {
      format: 'credline-product-record',
      schemaVersion: 1,
      id: 'bare',
      revision: 1,
    };
    const error = thrownBy(() => buildStatement(bare, { batch: ' ', signatory: 'Nobody', place: '' }));
    expect(error.code).toBe('STATEMENT_INCOMPLETE');
    for (const field of [
      '1(a) product brand',
      '1(a) product model',
      '1(a) product type',
      '1(a) batch',
      '1(b) name and address of each manufacturer',
      '1(b) authorised representatives',
      '1(d) compliance basis for Schedule 1 paragraph 1',
      '1(d) compliance basis for Schedule 1 paragraph 2',
      '1(d) compliance basis for Schedule 1 paragraph 3',
      '1(e) defined support period end date',
      '1(f) function of the signatory',
      '1(g) place of issue',
      'scope note',
    ]) {
      expect(error.message, field).toContain(field);
    }
    expect(error.message).toMatch(/13 required field\(s\) missing/);
  });

  it('issues no statement for a product recorded as excepted, and says why', () => {
    const record = demoRecord();
    if (record.scope) record.scope.answers.computer.kind = 'laptop';
    const error = thrownBy(() => buildStatement(record, REQUEST));
    expect(error.code).toBe('PRODUCT_OUT_OF_SCOPE');
    expect(error.message).toContain('excepted under Schedule 3 paragraph 5(1)');
    expect(error.message).toContain('Demo Compliance Officer (example)');
  });

  it('refuses bad dates: malformed, in the future, or after the support period ended', () => {
    expect(thrownBy(() => buildStatement(demoRecord(), { ...REQUEST, date: '2026-02-30' })).code).toBe(
      'DATE_INVALID',
    );
    expect(thrownBy(() => buildStatement(demoRecord(), { ...REQUEST, date: '2026-11-25' })).code).toBe(
      'DATE_IN_FUTURE',
    );
    const ended = demoRecord();
    ended.supportPeriod = { endDate: '2026-01-31' };
    expect(thrownBy(() => buildStatement(ended, REQUEST)).code).toBe('SUPPORT_PERIOD_ENDED');
  });

  it('renders Markdown and HTML with every Schedule 4 field', () => {
    const markdown = renderStatementMarkdown(statement);
    const html = renderStatementHtml(statement);
    for (const text of SCHEDULE_4_TEXT) {
      expect(markdown, text).toContain(text.replace(/[()]/g, (c) => c)); // Markdown escapes none of these
      expect(html, text).toContain(text);
    }
    expect(markdown).toContain('EXAMPLE ONLY');
    expect(html).toContain('<html lang="en">');
  });

  it('escapes HTML in names', () => {
    const record = demoRecord();
    if (record.manufacturers?.[0]) record.manufacturers[0].name = '<script>alert(1)</script> & Co';
    const html = renderStatementHtml(buildStatement(record, REQUEST));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
  });

  it('renders a PDF that pdftotext reads back, non-Latin names included', async () => {
    const dir = temporaryDirectory();
    const path = join(dir, 'statement.pdf');
    writeFileSync(path, await renderStatementPdf(statement));
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ' ');
    for (const needle of SCHEDULE_4_TEXT) expect(flat, needle).toContain(needle);
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans/);
    expect(fonts).not.toMatch(/Helvetica/);
  });

  it('reads back its own Markdown and JSON: only the signature is missing until signed', () => {
    const today = { today: '2026-11-24' };
    const fromMarkdown = checkStatementClaims(readMarkdownClaims(renderStatementMarkdown(statement)), today);
    expect(fromMarkdown).toEqual([{ paragraph: '1(f)', field: 'signature', problem: 'not signed' }]);
    const signed = {
      ...statement,
      signatory: { ...statement.signatory, signature: 'signed on paper, 2026-02-01' },
    };
    expect(checkStatementClaims(readJsonClaims(JSON.parse(JSON.stringify(signed))), today)).toEqual([]);
    expect(checkStatementClaims(readMarkdownClaims(renderStatementMarkdown(signed)), today)).toEqual([]);
  });
});
