import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, TEST_KEY, TEST_PASSPHRASE_FILE } from '../cli/run-cli.js';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { csprngPassword, macOf, serialOf } from './batches.js';

let dir: string;
const goodPasswords: string[] = [];
const weakPasswords: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'credline-audit-'));
  let good = '\uFEFFSerial Number,MAC Address,"Default Password"\r\n';
  let weak = 'sn,bssid,wifi_key\n';
  for (let i = 0; i < 300; i++) {
    const pw = csprngPassword(UNAMBIGUOUS56, 12);
    goodPasswords.push(pw);
    good += `${serialOf(i)},"${macOf(i)}",${pw}\r\n`;
    const w = `Acme${String(4000 + i)}`;
    weakPasswords.push(w);
    weak += `${serialOf(i)},${macOf(i)},${w}\n`;
  }
  writeFileSync(join(dir, 'good.csv'), good);
  writeFileSync(join(dir, 'weak.csv'), weak);
});

describe('credline audit (CSV)', () => {
  it('passes a good batch (BOM, CRLF, quoted headers and fields, auto-detected columns) with exit 0', () => {
    const r = runCli(['audit', join(dir, 'good.csv'), '--manufacturer', 'Acme']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^PASS unique/m);
    expect(r.stdout).toMatch(/^PASS identifier-derived/m);
    expect(r.stdout).toContain('RESULT: PASS');
    expect(r.status).toBe(0);
  });

  it('fails a weak batch with exit 1, JSON in the documented shape, examples masked', () => {
    const r = runCli(['audit', join(dir, 'weak.csv'), '--format', 'json', '--manufacturer', 'Acme Cameras']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as {
      rules: {
        id: string;
        status: string;
        violations: number;
        examples: { line: number; password: string }[];
      }[];
      stats: { rows: number };
    };
    expect(report.stats.rows).toBe(300);
    const byId = Object.fromEntries(report.rules.map((rule) => [rule.id, rule]));
    expect(byId['unique']?.status).toBe('pass');
    expect(byId['counter']?.status).toBe('fail');
    expect(byId['public-info']?.status).toBe('fail');
    expect(byId['counter']?.examples[0]?.password).toMatch(/^A\*{6}\d$/);
    for (const pw of weakPasswords) expect(r.stdout).not.toContain(pw);
  });

  it('never writes a full password to stdout, stderr or the HTML unless --show-passwords', () => {
    const html = join(dir, 'weak.html');
    const r = runCli(['audit', join(dir, 'weak.csv'), '--html', html]);
    expect(r.status).toBe(1);
    const bytes = readFileSync(html, 'utf8');
    for (const pw of weakPasswords) {
      expect(r.stdout + r.stderr).not.toContain(pw);
      expect(bytes).not.toContain(pw);
    }
    expect(bytes).toContain('<svg');
    expect(bytes).toContain('Sch. 1 para 1(3)(a)');
    expect(bytes).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(statSync(html).mode & 0o777).toBe(0o600);

    const shown = runCli(['audit', join(dir, 'weak.csv'), '--show-passwords']);
    expect(weakPasswords.some((pw) => shown.stdout.includes(pw))).toBe(true);
  });

  it.each([
    [
      'an unclosed quote at the end',
      'serial,password\nA1,"Xq7pLm2kRt9w\n',
      [2],
      /quoted field is not closed/,
    ],
    [
      'a row with too few fields',
      'serial,password\nA1,Xq7pLm2kRt9w\nA2\nA3,Zr8Lq2mP4kWx\n',
      [3],
      /expected 2 fields, found 1/,
    ],
    [
      'a row with too many fields',
      'serial,password\nA1,Xq7pLm2kRt9w,extra\n',
      [2],
      /expected 2 fields, found 3/,
    ],
    [
      'a quote inside an unquoted field',
      'serial,password\nA1,Xq7p"Lm2kRt9w\nA2,Zr8Lq2mP4kWx\n',
      [2],
      /quote/,
    ],
    ['an overlong password', `serial,password\nA1,${'x'.repeat(2000)}\n`, [2], /longer than 1024/],
  ])('reports %s with its line number and exit 1, never a crash', (_name, text, lines, message) => {
    const file = join(dir, `malformed-${lines.join('-')}-${text.length}.csv`);
    writeFileSync(file, text);
    const r = runCli(['audit', file, '--format', 'json']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { malformed: { line: number; message: string }[] };
    expect(report.malformed.map((m) => m.line)).toEqual(lines);
    expect(report.malformed[0]?.message).toMatch(message);
    expect(r.stdout).not.toContain('Xq7p');
  });

  it('explains a missing column or file in one line with exit 2', () => {
    const r = runCli(['audit', join(dir, 'good.csv'), '--password-column', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^credline: .*good\.csv: no column "nope" in the header/);
    const missing = runCli(['audit', join(dir, 'absent.csv')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });
});

describe('credline audit --product: the owner and escalation point of a failing audit', () => {
  const demoProduct = new URL('../../provisioning/examples/demo-product.json', import.meta.url).pathname;

  it('names the batch-audited duty owner and escalation on a FAIL, in text, JSON and HTML', () => {
    const text = runCli(['audit', join(dir, 'weak.csv'), '--product', demoProduct]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(
      'owner: Line security engineer (demo); escalate to Head of Product Compliance (demo) ' +
        '(product demo-camera, duty batch-audited)',
    );
    const html = join(dir, 'weak-product.html');
    const json = runCli([
      'audit',
      join(dir, 'weak.csv'),
      '--product',
      demoProduct,
      '--format',
      'json',
      '--html',
      html,
    ]);
    expect(json.status).toBe(1);
    expect((JSON.parse(json.stdout) as { accountable: unknown }).accountable).toEqual({
      product: 'demo-camera',
      duty: 'batch-audited',
      owner: 'Line security engineer (demo)',
      escalation: 'Head of Product Compliance (demo)',
    });
    expect(readFileSync(html, 'utf8')).toContain('escalate to Head of Product Compliance (demo)');
    const good = runCli(['audit', join(dir, 'good.csv'), '--product', demoProduct]);
    expect(good.status).toBe(0);
    expect(good.stdout).not.toContain('escalate to');
  });

  it("names an importer's supplier-batch-audited duty, and refuses --db without --product", () => {
    const record = JSON.parse(readFileSync(demoProduct, 'utf8')) as Record<string, unknown>;
    const importer = join(dir, 'importer-product.json');
    writeFileSync(
      importer,
      JSON.stringify({
        ...record,
        roles: ['importer'],
        dutyOwners: { 'supplier-batch-audited': { owner: 'Goods-in QA', escalation: 'Import manager' } },
      }),
    );
    const r = runCli(['audit', join(dir, 'weak.csv'), '--product', importer]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'owner: Goods-in QA; escalate to Import manager (product demo-camera, duty supplier-batch-audited)',
    );
    const usage = runCli(['audit', join(dir, 'weak.csv'), '--db', join(dir, 'none.db')]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--db is read for --product/);
  });
});

describe('credline audit: uniqueness says which line keys it was judged under', () => {
  it('names the key of a derived batch, and each key of a CSV with a key_id column', () => {
    const serials = join(dir, 'serials-keys.txt');
    writeFileSync(serials, Array.from({ length: 200 }, (_, i) => `KL2301-${400000 + i}`).join('\n'));
    const derived = runCli([
      'audit',
      '--derive',
      '--key',
      TEST_KEY,
      '--passphrase-file',
      TEST_PASSPHRASE_FILE,
      '--profile-id',
      'acme-cam',
      '--serials-file',
      serials,
    ]);
    expect(derived.stdout).toContain(
      'all 200 passwords are distinct (unique among 200 passwords under key d9c183eb84616abf)',
    );
    let mixed = 'serial,password,key_id\n';
    goodPasswords.slice(0, 200).forEach((pw, i) => {
      mixed += `${serialOf(i)},${pw},${i < 150 ? 'd9c183eb84616abf' : '66c7a1b2c3d4e5f6'}\n`;
    });
    mixed += `${serialOf(999)},${goodPasswords[3] ?? ''},66c7a1b2c3d4e5f6\n`;
    writeFileSync(join(dir, 'mixed-keys.csv'), mixed);
    const r = runCli(['audit', join(dir, 'mixed-keys.csv')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^FAIL unique/m);
    expect(r.stdout).toContain(
      'among 201 passwords under 2 line keys: d9c183eb84616abf (150), 66c7a1b2c3d4e5f6 (51); ' +
        'passwords are compared as written, across keys too',
    );
  });
});

describe('credline audit --derive', () => {
  it('audits what credline would derive for a serials file, without showing the passwords', () => {
    const serials = join(dir, 'serials.txt');
    writeFileSync(
      serials,
      `KL2301-100001\r\n${Array.from({ length: 400 }, (_, i) => `KL2301-${200000 + i}`).join('\n')}\n`,
    );
    const r = runCli([
      'audit',
      '--derive',
      '--key',
      TEST_KEY,
      '--passphrase-file',
      TEST_PASSPHRASE_FILE,
      '--profile-id',
      'acme-cam',
      '--serials-file',
      serials,
      '--manufacturer',
      'Acme',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('RESULT: PASS');
    expect(r.stdout).not.toContain('wNADKmUL9yu5'); // the vector password of KL2301-100001
    expect(r.status).toBe(0);
  });

  it('takes the scheme, thresholds and names from --profile, and reports unreadable serials by line', () => {
    const serials = join(dir, 'serials-profile.txt');
    const lines = Array.from({ length: 300 }, (_, i) => `SN-${String(i).padStart(4, '0')}`);
    lines.splice(5, 0, 'bad\u0007serial');
    writeFileSync(serials, `${lines.join('\n')}\n`);
    const r = runCli([
      'audit',
      '--derive',
      '--key',
      TEST_KEY,
      '--passphrase-file',
      TEST_PASSPHRASE_FILE,
      '--profile',
      'u-boot',
      '--serials-file',
      serials,
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout) as {
      rules: { status: string }[];
      malformed: { line: number; message: string }[];
      settings: Record<string, unknown>;
    };
    expect(report.rules.every((rule) => rule.status === 'pass')).toBe(true);
    expect(report.malformed).toEqual([
      { line: 6, message: expect.stringMatching(/control or format character/) },
    ]);
    expect(report.settings['minEntropyBits']).toBe(64);
    expect(report.settings['model']).toBe('U-Boot board');
    expect(report.settings['minLength']).toBe(8);
    expect(r.status).toBe(1); // a row could not be audited
  });

  it('with --with-policy, audits the attempts the policy accepts (as the station chooses)', () => {
    const serials = join(dir, 'serials-policy.txt');
    writeFileSync(serials, Array.from({ length: 200 }, (_, i) => `KL2301-${300000 + i}`).join('\n'));
    const r = runCli([
      'audit',
      '--derive',
      '--with-policy',
      '--key',
      TEST_KEY,
      '--passphrase-file',
      TEST_PASSPHRASE_FILE,
      '--profile-id',
      'acme-cam',
      '--serials-file',
      serials,
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout) as {
      passed: boolean;
      settings: Record<string, unknown>;
      stats: { rows: number };
    };
    expect(report.passed).toBe(true);
    expect(report.stats.rows).toBe(200);
    expect(report.settings['derivedAttempt']).toBe('first accepted by the policy');
    expect(r.status).toBe(0);
  });

  it('passes what derive accepts at the 48-bit floor: 2,000 passwords of 12 hex digits', () => {
    const serials = join(dir, 'serials-hex.txt');
    writeFileSync(serials, Array.from({ length: 2000 }, (_, i) => `KL2301-${400000 + i}`).join('\n'));
    const r = runCli([
      'audit',
      '--derive',
      '--key',
      TEST_KEY,
      '--passphrase-file',
      TEST_PASSPHRASE_FILE,
      '--profile-id',
      'acme-cam',
      '--alphabet',
      'hex',
      '--length',
      '12',
      '--serials-file',
      serials,
    ]);
    expect(r.stdout).toMatch(/^PASS guessable/m);
    expect(r.stdout).toContain('RESULT: PASS');
    expect(r.status).toBe(0);
  });
});
