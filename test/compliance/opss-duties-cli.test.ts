import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEvidenceFixture } from './evidence-fixture.js';
import { temporaryDirectory } from './helpers.js';

const CLI = new URL('../../bin/credline.js', import.meta.url).pathname;
const CLS_PRODUCT = new URL('../../provisioning/examples/demo-product-cls.json', import.meta.url).pathname;

function credline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A product deemed by its CLS label, imported as an importer, with the label route recorded for DEMO-B1. */
function labelledStore(): { db: string; dir: string; route: string } {
  const db = createEvidenceFixture({ devices: 3 });
  const dir = temporaryDirectory();
  expect(credline('product', 'import', CLS_PRODUCT, '--db', db).status).toBe(0);
  const issue = credline(
    'soc',
    'issue',
    '--db',
    db,
    '--product',
    'demo-plug-cls',
    '--batch',
    'DEMO-B1',
    '--signatory',
    'Ana Silva, Compliance',
    '--place',
    'Leeds',
    '--out',
    `${dir}/out/`,
  );
  expect(issue.stderr).toBe('');
  expect(issue.stdout).toMatch(/recorded in .* as label route 1 \(seal seq \d+\)/);
  return { db, dir, route: join(dir, 'out', 'label-route-demo-plug-cls-DEMO-B1.json') };
}

describe('credline duties over the evidence database (importer)', () => {
  it('flips each importer duty from missing to met as its evidence is recorded, naming owners and seqs', () => {
    const { db, dir, route } = labelledStore();
    let run = credline('duties', '--product', 'demo-plug-cls', '--db', db, '--format', 'json');
    expect(run.status).toBe(1);
    type Report = {
      missing: number;
      duties: { id: string; state: string; owner: string; evidence: { seq: number }[] }[];
    };
    const states = (r: typeof run) =>
      Object.fromEntries((JSON.parse(r.stdout) as Report).duties.map((d) => [d.id, d.state]));
    expect(states(run)).toEqual({
      'supplier-statement-checked': 'missing',
      'supplier-batch-audited': 'missing',
      'supplier-statement-kept': 'missing',
    });
    expect((JSON.parse(run.stdout) as Report).duties[1]?.owner).toBe('Incoming quality team (demo)');

    expect(
      credline(
        'soc',
        'check',
        route,
        '--record',
        '--db',
        db,
        '--product',
        'demo-plug-cls',
        '--batch',
        'DEMO-B1',
      ).status,
    ).toBe(0);
    run = credline('duties', '--product', 'demo-plug-cls', '--db', db, '--format', 'json');
    expect(states(run)['supplier-statement-checked']).toBe('met');
    expect(states(run)['supplier-statement-kept']).toBe('met');
    expect((JSON.parse(run.stdout) as Report).duties[0]?.evidence[0]?.seq).toBeGreaterThan(0);

    const failed = join(dir, 'failed.json');
    writeFileSync(
      failed,
      JSON.stringify({ passed: false, rules: [{ id: 'unique', status: 'fail', violations: 2 }] }),
    );
    expect(
      credline(
        'batch-audit',
        '--product',
        'demo-plug-cls',
        '--batch',
        'DEMO-B1',
        '--report',
        failed,
        '--role',
        'importer',
        '--db',
        db,
      ).status,
    ).toBe(1);
    expect(
      states(credline('duties', '--product', 'demo-plug-cls', '--db', db, '--format', 'json'))[
        'supplier-batch-audited'
      ],
    ).toBe('missing');
    const passed = join(dir, 'passed.json');
    writeFileSync(
      passed,
      JSON.stringify({ passed: true, rules: [{ id: 'unique', status: 'pass', violations: 0 }] }),
    );
    expect(
      credline(
        'batch-audit',
        '--product',
        'demo-plug-cls',
        '--batch',
        'DEMO-B1',
        '--report',
        passed,
        '--role',
        'importer',
        '--db',
        db,
      ).status,
    ).toBe(0);
    run = credline('duties', '--product', 'demo-plug-cls', '--db', db);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('3 duties, 0 missing');
    expect(credline('duties', '--product', 'demo-plug-cls', '--db', db, '--format', 'html').stdout).toContain(
      '<table>',
    );
  });

  it('a failing soc check names the owner and the escalation point', () => {
    const dir = temporaryDirectory();
    const statement = join(dir, 's.json');
    writeFileSync(statement, JSON.stringify({ format: 'credline-statement-of-compliance' }));
    const run = credline('soc', 'check', statement, '--product', CLS_PRODUCT);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'owner: Import compliance desk (demo); escalate to Operations Director (demo)',
    );
  });
});

describe('credline opss', () => {
  it('records an information notice, the pack sent and when, closes it, and assembles the response', () => {
    const { db, dir } = labelledStore();
    const record = credline(
      'opss',
      'record',
      '--type',
      'information',
      '--received',
      '2026-12-01',
      '--deadline',
      '2026-12-15',
      '--reference',
      'OPSS-IN-0042',
      '--product',
      'demo-plug-cls',
      '--batch',
      'DEMO-B1',
      '--owner',
      'Ana Silva',
      '--summary',
      'evidence for DEMO-100001 to DEMO-100002',
      '--db',
      db,
    );
    expect(record.stderr).toBe('');
    expect(record.status).toBe(0);
    expect(
      credline(
        'opss',
        'record',
        '--type',
        'stop',
        '--received',
        '2026-12-01',
        '--deadline',
        '2026-11-01',
        '--reference',
        'X',
        '--product',
        'demo-plug-cls',
        '--owner',
        'A',
        '--summary',
        'S',
        '--db',
        db,
      ).stderr,
    ).toContain('before --received');
    expect(
      credline('opss', 'list', '--db', db, '--due-within', '14d', '--today', '2026-12-03').stdout,
    ).toContain('due in 12 day(s)');
    expect(credline('opss', 'list', '--db', db, '--due-within', '7d', '--today', '2026-12-03').stdout).toBe(
      'no notices\n',
    );

    const pack = join(dir, 'pack');
    const packed = credline(
      'pack',
      '--db',
      db,
      '--batch',
      'DEMO-B1',
      '--serial-from',
      'DEMO-100001',
      '--serial-to',
      'DEMO-100002',
      '--out',
      `${pack}/`,
    );
    expect(packed.stderr).toBe('');
    const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')) as {
      route: string;
      label: { scheme: string };
    };
    expect(manifest.route).toBe('label');
    expect(manifest.label.scheme).toBe('sg-cls');
    expect(readFileSync(join(pack, 'README.md'), 'utf8')).toContain(
      '**Route:** Label route: no statement of compliance.',
    );
    const sent = join(pack, 'SHA256SUMS');
    const update = credline(
      'opss',
      'update',
      'OPSS-IN-0042',
      '--action',
      'pack built',
      '--sent',
      pack,
      '--sent-on',
      '2026-12-04',
      '--db',
      db,
    );
    expect(update.status).toBe(0);
    const sha = createHash('sha256').update(readFileSync(sent)).digest('hex');
    expect(update.stdout).toContain(`SHA-256 ${sha}) on 2026-12-04`);
    expect(credline('opss', 'close', 'OPSS-IN-0042', '--outcome', 'answered', '--db', db).status).toBe(0);
    expect(credline('opss', 'update', 'OPSS-IN-0042', '--action', 'late', '--db', db).status).toBe(2);

    const out = join(dir, 'response');
    const response = credline('opss', 'response', 'OPSS-IN-0042', '--out', out, '--db', db);
    expect(response.status).toBe(0);
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`${sha}  sent/`);
    expect(sums).toContain('statement/label-route-1.json');
    expect(sums).toContain('scope-note.txt');
    expect(readFileSync(join(out, 'notice.md'), 'utf8')).toContain('**closed**: answered');
    expect(credline('evidence', 'verify', '--db', db).stdout).toMatch(
      /compliance row\(s\), each matching its seal/,
    );
  });
});
