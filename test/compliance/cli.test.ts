import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoRecord, DEMO_PRODUCT_PATH, temporaryDirectory } from './helpers.js';

const CLI = new URL('../../bin/credline.js', import.meta.url).pathname;

function credline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

const ISSUE = [
  '--batch',
  'DEMO-B1',
  '--signatory',
  'Zoë Ångström, Head of Compliance',
  '--place',
  'Exampleton',
];

describe('credline product', () => {
  it('validates the demo record as ready (exit 0)', () => {
    const run = credline('product', 'validate', DEMO_PRODUCT_PATH);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('ready: a statement of compliance can be issued');
  });

  it('init writes a record and lists what to fill in; validate exits 1 until it is complete', () => {
    const dir = temporaryDirectory();
    const path = join(dir, 'p.json');
    const init = credline('product', 'init', '--id', 'acme-cam', '--out', path);
    expect(init.status).toBe(0);
    expect(init.stdout).toContain('1(e) defined support period end date');
    const run = credline('product', 'validate', path);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('not ready for a statement');
    expect(credline('product', 'init', '--id', 'acme-cam', '--out', path).status).toBe(2);
  });

  it('reports a support period that has already ended (exit 1)', () => {
    const dir = temporaryDirectory();
    const record = demoRecord();
    record.supportPeriod = { endDate: '2025-01-31' };
    const run = credline('product', 'validate', writeJson(dir, 'ended.json', record));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('1(e) the defined support period ended on 2025-01-31');
  });

  it('exits 2 with JSON paths for an invalid record', () => {
    const dir = temporaryDirectory();
    const record = demoRecord() as unknown as Record<string, unknown>;
    record['supportPeriod'] = { durationYears: 5 };
    const run = credline('product', 'validate', writeJson(dir, 'bad.json', record));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('$.supportPeriod: gives a duration (durationYears)');
  });

  it('refuses a revision that shortens the published support period', () => {
    const dir = temporaryDirectory();
    const next = demoRecord();
    next.revision = 2;
    next.supportPeriod = { endDate: '2030-12-31' };
    const run = credline(
      'product',
      'validate',
      writeJson(dir, 'r2.json', next),
      '--previous',
      DEMO_PRODUCT_PATH,
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Schedule 1 para 3(6)');
    next.supportPeriod = { endDate: '2033-12-31' };
    expect(
      credline('product', 'validate', writeJson(dir, 'r2.json', next), '--previous', DEMO_PRODUCT_PATH)
        .status,
    ).toBe(0);
  });

  it('records scope answers as a new revision and prints the note', () => {
    const dir = temporaryDirectory();
    const answers = {
      ...demoRecord().scope?.answers,
      computer: { kind: 'laptop', designedExclusivelyForChildrenUnder14: true },
    };
    const out = join(dir, 'scoped.json');
    const run = credline(
      'product',
      'scope',
      DEMO_PRODUCT_PATH,
      '--answers',
      writeJson(dir, 'answers.json', answers),
      '--decided-by',
      'Ana Silva, Head of Compliance',
      '--decided-on',
      '2026-03-02',
      '--out',
      out,
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('IN SCOPE');
    expect(run.stdout).toContain('Schedule 3 paragraph 5(2)');
    expect(run.stdout).toContain('Decided by: Ana Silva, Head of Compliance, on 2 March 2026');
    const saved = JSON.parse(readFileSync(out, 'utf8')) as { revision: number; scope: { decidedOn: string } };
    expect(saved.revision).toBe(2);
    expect(saved.scope.decidedOn).toBe('2026-03-02');
  });
});

describe('credline soc', () => {
  it('issues JSON, Markdown, HTML and PDF, and will not overwrite them', () => {
    const dir = temporaryDirectory();
    const run = credline(
      'soc',
      'issue',
      '--product',
      DEMO_PRODUCT_PATH,
      ...ISSUE,
      '--date',
      '2026-02-01',
      '--out',
      dir,
    );
    expect(run.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'statement-of-compliance-demo-camera-DEMO-B1.html',
      'statement-of-compliance-demo-camera-DEMO-B1.json',
      'statement-of-compliance-demo-camera-DEMO-B1.md',
      'statement-of-compliance-demo-camera-DEMO-B1.pdf',
    ]);
    const pdf = join(dir, 'statement-of-compliance-demo-camera-DEMO-B1.pdf');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const before = statSync(pdf).mtimeMs;
    const again = credline('soc', 'issue', '--product', DEMO_PRODUCT_PATH, ...ISSUE, '--out', dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('not overwriting');
    expect(statSync(pdf).mtimeMs).toBe(before);
    const check = credline('soc', 'check', join(dir, 'statement-of-compliance-demo-camera-DEMO-B1.md'));
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('1(f)  signature: not signed');
  });

  it('writes nothing when fields are missing, and names each one', () => {
    const dir = temporaryDirectory();
    const record = demoRecord();
    delete record.manufacturers;
    delete record.complianceBasis;
    const out = join(dir, 'out');
    const run = credline(
      'soc',
      'issue',
      '--product',
      writeJson(dir, 'p.json', record),
      ...ISSUE,
      '--out',
      out,
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('1(b) name and address of each manufacturer ($.manufacturers)');
    expect(run.stderr).toContain('1(d) compliance basis for Schedule 1 paragraph 3');
    expect(existsSync(out)).toBe(false);
  });

  it('checks a supplier template: exit 1 with gaps, exit 0 when complete', () => {
    const dir = temporaryDirectory();
    const template = join(dir, 'supplier.md');
    expect(credline('soc', 'template', '--out', template).status).toBe(0);
    const gappy = credline('soc', 'check', template, '--format', 'json');
    expect(gappy.status).toBe(1);
    expect((JSON.parse(gappy.stdout) as { gaps: unknown[] }).gaps).toHaveLength(14);
    const issued = credline(
      'soc',
      'issue',
      '--product',
      DEMO_PRODUCT_PATH,
      ...ISSUE,
      '--date',
      '2026-02-01',
      '--out',
      dir,
    );
    expect(issued.status).toBe(0);
    const jsonPath = join(dir, 'statement-of-compliance-demo-camera-DEMO-B1.json');
    const statement = JSON.parse(readFileSync(jsonPath, 'utf8')) as { signatory: Record<string, string> };
    statement.signatory['signature'] = 'signed by hand';
    const signed = writeJson(dir, 'signed.json', statement);
    const ok = credline('soc', 'check', signed);
    expect(ok.stdout).toContain('every Schedule 4 field present');
    expect(ok.status).toBe(0);
  });
});

describe('credline notice', () => {
  it('writes the text and HTML notice and security.txt', () => {
    const dir = temporaryDirectory();
    const run = credline('notice', '--product', DEMO_PRODUCT_PATH, '--out', dir, '--expires-days', '90');
    expect(run.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'customer-notice-demo-camera.html',
      'customer-notice-demo-camera.txt',
      'security.txt',
    ]);
    expect(readFileSync(join(dir, 'security.txt'), 'utf8')).toMatch(
      /^Expires: \d{4}-\d{2}-\d{2}T00:00:00\.000Z$/m,
    );
    expect(credline('notice', '--product', DEMO_PRODUCT_PATH, '--expires-days', '400').status).toBe(2);
  });
});
