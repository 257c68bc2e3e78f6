import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createEvidenceFixture, fixturePasswords } from './evidence-fixture.js';
import { demoRecord, DEMO_PRODUCT_PATH, HAS_PYTHON3, readZipEntries, temporaryDirectory } from './helpers.js';

const CLI = new URL('../../bin/credline.js', import.meta.url).pathname;

function credline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const ISSUE = [
  '--batch',
  'DEMO-B1',
  '--signatory',
  'Zoë Ångström, Head of Compliance',
  '--place',
  'Exampleton',
];

function issue(db: string, out: string, ...extra: string[]): ReturnType<typeof credline> {
  return credline(
    'soc',
    'issue',
    '--db',
    db,
    '--product',
    DEMO_PRODUCT_PATH,
    ...ISSUE,
    '--out',
    out,
    ...extra,
  );
}

describe('compliance records in the evidence database', () => {
  it('imports product revisions, refuses shortening, and exports them unchanged', () => {
    const db = createEvidenceFixture();
    expect(credline('product', 'import', DEMO_PRODUCT_PATH, '--db', db).stdout).toMatch(
      /^stored: demo-camera revision 1/,
    );
    expect(credline('product', 'import', DEMO_PRODUCT_PATH, '--db', db).stdout).toMatch(/^already stored/);
    const dir = temporaryDirectory();
    const shorter = { ...demoRecord(), revision: 2, supportPeriod: { endDate: '2030-12-31' } };
    writeFileSync(join(dir, 'r2.json'), JSON.stringify(shorter));
    const refused = credline('product', 'import', join(dir, 'r2.json'), '--db', db);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('Schedule 1 para 3(6)');
    const changed = { ...demoRecord(), product: { brand: 'Other', model: 'X', type: 'Y' } };
    writeFileSync(join(dir, 'r1.json'), JSON.stringify(changed));
    expect(credline('product', 'import', join(dir, 'r1.json'), '--db', db).stderr).toContain(
      'already stored with different content',
    );
    const exported = credline('product', 'export', 'demo-camera', '--db', db);
    expect(JSON.parse(exported.stdout)).toEqual(demoRecord());
    expect(credline('product', 'show', 'demo-camera', '--db', db).stdout).toContain('demo-camera revision 1');
  });

  it('issues and records a statement against a provisioned batch; extension extends retention', () => {
    const db = createEvidenceFixture();
    const out = temporaryDirectory();
    const backdated = issue(db, out, '--date', '2026-02-01');
    expect(backdated.status).toBe(2);
    expect(backdated.stderr).toContain("before the batch's first PASS on");
    const run = issue(
      db,
      out,
      '--date',
      '2026-02-01',
      '--backdated-reason',
      'fixture: batch provisioned today',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/recorded in .* as statement 1, SHA-256 [0-9a-f]{64}/);
    const rows = new Database(db, { readonly: true })
      .prepare('SELECT * FROM issued_statements')
      .all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      batch_id: 'DEMO-B1',
      date_of_issue: '2026-02-01',
      retain_until: '2036-01-31',
    });
    let retention = JSON.parse(credline('evidence', 'retention', '--db', db, '--format', 'json').stdout) as {
      kind: string;
      retainUntil: string;
    }[];
    expect(retention.find((e) => e.kind === 'statement')?.retainUntil).toBe('2036-01-31');

    const dir = temporaryDirectory();
    const extended = { ...demoRecord(), revision: 2 };
    extended.supportPeriod = { endDate: '2038-06-30', atFirstSupply: { endDate: '2031-12-31' } };
    writeFileSync(join(dir, 'r2.json'), JSON.stringify(extended));
    expect(credline('product', 'import', join(dir, 'r2.json'), '--db', db).status).toBe(0);
    retention = JSON.parse(
      credline('evidence', 'retention', '--db', db, '--format', 'json').stdout,
    ) as typeof retention;
    expect(retention.find((e) => e.kind === 'statement')?.retainUntil).toBe('2038-06-30');
    expect(retention.find((e) => e.kind === 'batch')?.retainUntil).toBe('2038-06-30');
    expect(credline('evidence', 'retention', '--db', db).stdout).toContain('never deletes evidence');
  });

  it('evidence retention only reads: the store stays byte-identical; an empty file is refused and left alone', () => {
    const db = createEvidenceFixture();
    const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = digest(db);
    expect(credline('evidence', 'retention', '--db', db).status).toBe(0);
    expect(digest(db)).toBe(before);
    const empty = join(temporaryDirectory(), 'empty.db');
    writeFileSync(empty, '');
    const refused = credline('evidence', 'retention', '--db', empty);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('not a credline evidence store');
    expect(statSync(empty).size).toBe(0);
  });

  it('records a scope note in the database; an excepted product gets no statement', () => {
    const db = createEvidenceFixture();
    expect(credline('product', 'import', DEMO_PRODUCT_PATH, '--db', db).status).toBe(0);
    const dir = temporaryDirectory();
    const answers = { ...demoRecord().scope?.answers, smartChargePoint: true };
    writeFileSync(join(dir, 'answers.json'), JSON.stringify(answers));
    const scoped = credline(
      ...['product', 'scope', 'demo-camera', '--db', db, '--answers', join(dir, 'answers.json')],
      ...['--decided-by', 'Ana Silva, Head of Compliance'],
    );
    expect(scoped.status).toBe(0);
    expect(scoped.stdout).toContain('EXCEPTED under Schedule 3 paragraph 2');
    expect(scoped.stderr).toContain('stored demo-camera revision 2');
    const out = join(dir, 'out');
    const refused = credline('soc', 'issue', '--db', db, '--product', 'demo-camera', ...ISSUE, '--out', out);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('recorded as excepted under Schedule 3 paragraph 2');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a batch with no PASS results, or an unknown batch, writing nothing', () => {
    const db = createEvidenceFixture({ empty: true });
    const out = join(temporaryDirectory(), 'out');
    const run = issue(db, out);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('has no PASS results');
    expect(existsSync(out)).toBe(false);
    const unknown = credline(
      'soc',
      'issue',
      '--db',
      db,
      '--product',
      DEMO_PRODUCT_PATH,
      ...ISSUE.slice(2),
      '--batch',
      'NOPE',
      '--out',
      out,
    );
    expect(unknown.stderr).toContain('no batch NOPE');
  });

  it('refuses a batch whose recorded support period contradicts the product record', () => {
    const db = createEvidenceFixture({ supportEndDate: '2029-12-31' });
    const run = issue(db, temporaryDirectory());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('recorded with a support period ending 2029-12-31');
  });
});

describe('credline pack', () => {
  it('bundles statement, events, verify result, uniqueness, profile and a checkable manifest', () => {
    const db = createEvidenceFixture({ devices: 6 });
    expect(
      issue(db, temporaryDirectory(), '--date', '2026-02-01', '--backdated-reason', 'fixture').status,
    ).toBe(0);
    const pack = join(temporaryDirectory(), 'pack');
    const run = credline('pack', '--db', db, '--batch', 'DEMO-B1', '--out', pack);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('6 devices, 6 distinct fingerprints: PASS');
    const files = readdirSync(pack, { recursive: true }).map(String).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'SHA256SUMS',
        'manifest.json',
        'product-record.json',
        'profile/profile.json',
        'statement/statement-of-compliance.pdf',
        'statement/statement-of-compliance.json',
        'evidence/events.jsonl',
        'evidence/verify.json',
        'audit/uniqueness.json',
      ]),
    );
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pack, encoding: 'utf8' })).not.toMatch(
      /FAILED/,
    );
    const verify = JSON.parse(readFileSync(join(pack, 'evidence/verify.json'), 'utf8')) as { ok: boolean };
    expect(verify.ok).toBe(true);
    const readme = readFileSync(join(pack, 'README.md'), 'utf8');
    expect(readme).toContain('sha256sum -c SHA256SUMS');
    expect(readme).not.toContain('VERIFY FAILED');
    // No password and no key bytes in the pack.
    const everything = files
      .filter((f) => !f.endsWith('.pdf') && statSync(join(pack, f)).isFile())
      .map((f) => readFileSync(join(pack, f), 'latin1'))
      .join('\n');
    expect(everything).not.toMatch(/"password"/);
    expect(everything).not.toContain('000102030405060708090a0b0c0d0e0f');
    for (const password of fixturePasswords(6)) expect(everything).not.toContain(password);
    // The canonical-hash recipe in the README reproduces the recorded content hash.
    if (!HAS_PYTHON3) return;
    const issued = JSON.parse(readFileSync(join(pack, 'statement/issued.json'), 'utf8')) as {
      contentHash: string;
    };
    const recipe = /`(python3 -c 'import json,hashlib[^`]+?) statement\/statement-of-compliance\.json`/.exec(
      readme,
    )?.[1] as string;
    const printed = execFileSync('sh', ['-c', `${recipe} statement/statement-of-compliance.json`], {
      cwd: pack,
      encoding: 'utf8',
    });
    expect(printed.trim()).toBe(issued.contentHash);
  });

  it('re-derives the batch with the line key, checks fingerprints and audits it, without writing a password', () => {
    const db = createEvidenceFixture({ devices: 4 });
    expect(issue(db, temporaryDirectory()).status).toBe(0);
    const pack = join(temporaryDirectory(), 'pack');
    const fixtures = new URL('../fixtures/', import.meta.url).pathname;
    const run = credline(
      'pack',
      ...['--db', db, '--batch', 'DEMO-B1', '--out', pack],
      ...['--key', join(fixtures, 'test-vector-line-key.ckey')],
      ...['--passphrase-file', join(fixtures, 'test-vector-passphrase.txt')],
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('audit (re-derived with the line key): PASS, 0 fingerprint mismatch(es)');
    const audit = JSON.parse(readFileSync(join(pack, 'audit/audit-report.json'), 'utf8')) as {
      method: string;
      devices: number;
      report: { rules: { id: string; status: string }[] };
    };
    expect(audit.method).toBe('re-derived');
    expect(audit.devices).toBe(4);
    expect(audit.report.rules.map((r) => r.id)).toEqual([
      'unique',
      'counter',
      'public-info',
      'identifier-derived',
      'guessable',
    ]);
    const text = readFileSync(join(pack, 'audit/audit-report.json'), 'utf8');
    for (const password of fixturePasswords(4)) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(password.slice(1, -1));
    }
  });

  it('restricts a pack to a serial range and zips it', () => {
    const db = createEvidenceFixture({ devices: 6 });
    expect(issue(db, temporaryDirectory()).status).toBe(0);
    const zip = join(temporaryDirectory(), 'opss.zip');
    const run = credline(
      'pack',
      '--db',
      db,
      '--batch',
      'DEMO-B1',
      '--serial-from',
      'DEMO-100002',
      '--serial-to',
      'DEMO-100003',
      '--out',
      zip,
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('2 devices');
    const entries = readZipEntries(zip);
    expect([...entries.keys()]).toContain('evidence/events.jsonl');
    expect(entries.get('README.md')?.toString('utf8')).toContain('Restricted pack');
    const sums = entries.get('SHA256SUMS')?.toString('utf8') ?? '';
    for (const [name, data] of entries) {
      if (name !== 'SHA256SUMS')
        expect(sums).toContain(`${createHash('sha256').update(data).digest('hex')}  ${name}`);
    }
    const events = entries.get('evidence/events.jsonl')?.toString('utf8') ?? '';
    const serials = new Set(
      events
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { serial?: string }).serial),
    );
    serials.delete(undefined);
    expect([...serials].sort()).toEqual(['DEMO-100002', 'DEMO-100003']);
    expect(credline('pack', '--db', db, '--batch', 'DEMO-B1', '--out', zip).status).toBe(2);
    const none = credline(
      ...['pack', '--db', db, '--batch', 'DEMO-B1', '--until', '2000-01-01T00:00:00.000Z'],
      ...['--out', join(temporaryDirectory(), 'p')],
    );
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no PASS results in the requested range');
  });

  it('builds the same zip bytes twice from one store (generation time from the chain head)', () => {
    const db = createEvidenceFixture({ devices: 3 });
    expect(issue(db, temporaryDirectory()).status).toBe(0);
    const zips = [0, 1].map(() => join(temporaryDirectory(), 'pack.zip'));
    for (const zip of zips)
      expect(credline('pack', '--db', db, '--batch', 'DEMO-B1', '--out', zip).status).toBe(0);
    expect(readFileSync(zips[0] as string).equals(readFileSync(zips[1] as string))).toBe(true);
    const manifest = JSON.parse(
      readZipEntries(zips[0] as string)
        .get('manifest.json')
        ?.toString('utf8') ?? '{}',
    ) as {
      generatedAt: string;
    };
    const raw = new Database(db, { readonly: true });
    const head = raw.prepare('SELECT max(recorded_at) AS t FROM compliance_seals').get() as { t: string };
    raw.close();
    expect(manifest.generatedAt).toBe(head.t);
  });

  it('refuses a tampered database, or marks the pack loudly when asked', () => {
    const db = createEvidenceFixture({ devices: 3 });
    expect(issue(db, temporaryDirectory()).status).toBe(0);
    const raw = new Database(db);
    raw.exec('DROP TRIGGER provisioning_events_no_update');
    raw
      .prepare(
        `UPDATE provisioning_events SET port = '/dev/ttyUSB9' WHERE seq = (SELECT max(seq) FROM provisioning_events)`,
      )
      .run();
    raw.close();
    const out = join(temporaryDirectory(), 'pack');
    const refused = credline('pack', '--db', db, '--batch', 'DEMO-B1', '--out', out);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('evidence verify failed');
    expect(existsSync(out)).toBe(false);
    const marked = credline('pack', '--db', db, '--batch', 'DEMO-B1', '--out', out, '--mark-failures');
    expect(marked.status).toBe(1);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('VERIFY FAILED');
  });

  it('refuses a batch with no statement recorded', () => {
    const db = createEvidenceFixture();
    const run = credline('pack', '--db', db, '--batch', 'DEMO-B1', '--out', join(temporaryDirectory(), 'p'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no statement of compliance recorded');
  });
});
