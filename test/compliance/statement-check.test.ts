import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStatementFile } from '../../src/compliance/statement-check.js';
import { FILL_IN, renderStatementTemplate } from '../../src/compliance/statement-markdown.js';
import { temporaryDirectory, thrownBy } from './helpers.js';

const TODAY = { today: '2026-11-24' };

/** The shipped template, filled in the way a supplier would. */
function filledTemplate(overrides: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    'Product type': 'Smart plug',
    Brand: 'Voltara',
    Model: 'VP-10',
    Batch: 'L2026-07',
    'Manufacturer name': 'Voltara Electric Co., Ltd.',
    'Manufacturer address': 'No. 8 Example Road, Shenzhen, China',
    'Authorised representative': 'Not applicable',
    'Schedule 1 paragraph 1 (Passwords)': 'complies with the security requirement in Schedule 1 paragraph 1',
    'Schedule 1 paragraph 2 (Information on how to report security issues)':
      'meets the deemed compliance conditions in Schedule 2 paragraph 2: ISO/IEC 29147, version 2018, date of issue 2018-10, paragraphs 6.2.2, 6.2.5, 6.5',
    'Schedule 1 paragraph 3 (Information on minimum security update periods)':
      'complies with the security requirement in Schedule 1 paragraph 3',
    'End date': '2030-06-30',
    Name: 'Li Wei',
    Function: 'Quality Director',
    Signature: 'signed (wet ink, copy on file)',
    'Place of issue': 'Shenzhen',
    'Date of issue': '2026-07-01',
    ...overrides,
  };
  return renderStatementTemplate().replace(/^- \*\*(.+?):\*\* .*$/gm, (line, label: string) =>
    label in values ? `- **${label}:** ${values[label]}` : line,
  );
}

function check(
  content: string,
  name = 'statement.md',
): { paragraph: string; field: string; problem: string }[] {
  const path = join(temporaryDirectory(), name);
  writeFileSync(path, content);
  return checkStatementFile(path, TODAY).gaps;
}

describe('soc check', () => {
  it('finds no gap in a completely filled template', () => {
    expect(check(filledTemplate())).toEqual([]);
  });

  it('lists every field of the unfilled template', () => {
    const template = renderStatementTemplate();
    expect(template).toContain(FILL_IN);
    const gaps = check(template).map((g) => `${g.paragraph} ${g.field}`);
    expect(gaps).toEqual([
      '1(a) product type',
      '1(a) batch',
      '1(b) manufacturer name',
      '1(b) manufacturer address',
      '1(b) authorised representative',
      '1(d) compliance with Schedule 1 paragraph 1',
      '1(d) compliance with Schedule 1 paragraph 2',
      '1(d) compliance with Schedule 1 paragraph 3',
      '1(e) defined support period end date',
      '1(f) name of the signatory',
      '1(f) function of the signatory',
      '1(f) signature',
      '1(g) place of issue',
      '1(g) date of issue',
    ]);
  });

  it('refuses a support period given only as a duration', () => {
    const gaps = check(filledTemplate({ 'End date': '5 years from purchase' }));
    expect(gaps).toEqual([
      expect.objectContaining({
        paragraph: '1(e)',
        problem: expect.stringMatching(/duration alone.*end date/),
      }),
    ]);
  });

  it('flags support periods that end before issue, are implausibly long, or are not real dates', () => {
    expect(check(filledTemplate({ 'End date': '2025-12-31' }))[0]?.problem).toMatch(
      /before the date of issue/,
    );
    expect(check(filledTemplate({ 'End date': '2099-12-31' }))[0]?.problem).toMatch(/more than 30 years/);
    expect(check(filledTemplate({ 'End date': '2030-02-30' }))[0]?.problem).toMatch(
      /not a real calendar date/,
    );
  });

  it('needs the identification, version and date of issue of a standard relied on (para 1(2))', () => {
    const gaps = check(
      filledTemplate({
        'Schedule 1 paragraph 1 (Passwords)':
          'meets the deemed compliance conditions in Schedule 2 paragraph 1: ETSI EN 303 645',
      }),
    );
    expect(gaps.map((g) => `${g.paragraph} ${g.problem}`)).toEqual([
      '1(2) version missing',
      '1(2) date of issue missing',
    ]);
  });

  it('flags a missing declaration, a future date and an unsigned statement', () => {
    const text = filledTemplate({ 'Date of issue': '2027-01-01', Signature: '____' }).replace(
      'This statement of compliance is prepared by or on behalf of the manufacturer of the product.',
      'Prepared by our sales office.',
    );
    expect(check(text).map((g) => `${g.paragraph} ${g.field}: ${g.problem}`)).toEqual([
      '1(c) declaration: no declaration that the statement is prepared by or on behalf of the manufacturer',
      '1(f) signature: not signed',
      '1(g) date of issue: 2027-01-01 is in the future',
    ]);
  });

  it('checks credline JSON statements field by field', () => {
    const gaps = check(
      JSON.stringify({ format: 'credline-statement-of-compliance', product: { type: 'Camera' } }),
      's.json',
    );
    expect(gaps.map((g) => g.paragraph)).toEqual(
      expect.arrayContaining(['1(a)', '1(b)', '1(c)', '1(d)', '1(e)', '1(f)', '1(g)']),
    );
    expect(gaps.find((g) => g.field === 'batch')).toBeDefined();
  });

  it('refuses files in neither form', () => {
    const path = join(temporaryDirectory(), 'x.txt');
    writeFileSync(path, '%PDF-1.7 not a statement');
    expect(thrownBy(() => checkStatementFile(path)).code).toBe('STATEMENT_FORM_UNKNOWN');
  });
});

describe('the shipped template', () => {
  it('is what credline soc template prints', () => {
    const shipped = new URL(
      '../../src/compliance/templates/statement-of-compliance-template.md',
      import.meta.url,
    );
    expect(readFileSync(shipped, 'utf8')).toBe(renderStatementTemplate());
  });
});
