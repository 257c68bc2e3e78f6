/**
 * P2: an auditor with python3, sha256sum and openssl checks every claim of a real pack with the pack alone
 * (its verify-pack.py), and a changed record, seal or signature is caught.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { createEvidenceFixture } from './evidence-fixture.js';
import { DEMO_PRODUCT_PATH, HAS_PYTHON3, temporaryDirectory } from './helpers.js';

const CLI = new URL('../../bin/credline.js', import.meta.url).pathname;
const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;
const TOOLS = HAS_PYTHON3 && HAS_OPENSSL && spawnSync('sha256sum', ['--version']).status === 0;

function run(command: string, args: string[], cwd?: string) {
  return spawnSync(command, args, { encoding: 'utf8', cwd });
}

function makePack(options: { restricted?: boolean } = {}): { dir: string; out: string; stationKey: string } {
  const db = createEvidenceFixture({ devices: 4, figures: true });
  const seed = randomBytes(32);
  const store = openEvidenceStore(db);
  store.writeCheckpoint(seed, { stationId: 'line1', reason: 'batch-end' });
  store.close();
  const dir = temporaryDirectory();
  const issue = run(process.execPath, [
    CLI,
    'soc',
    'issue',
    '--db',
    db,
    '--product',
    DEMO_PRODUCT_PATH,
    '--batch',
    'DEMO-B1',
    '--signatory',
    'Ana Silva, Compliance',
    '--place',
    'Leeds',
    '--out',
    join(dir, 'statement/'),
  ]);
  expect(issue.stderr).toBe('');
  const out = join(dir, 'pack');
  const restriction = options.restricted
    ? ['--serial-from', 'DEMO-100002', '--serial-to', 'DEMO-100003']
    : [];
  const pack = run(process.execPath, [
    CLI,
    'pack',
    '--db',
    db,
    '--batch',
    'DEMO-B1',
    ...restriction,
    '--out',
    `${out}/`,
  ]);
  expect(pack.stderr).toBe('');
  expect(pack.status).toBe(0);
  const sumsHash = createHash('sha256')
    .update(readFileSync(join(out, 'SHA256SUMS')))
    .digest('hex');
  expect(pack.stdout).toContain(`SHA-256 of SHA256SUMS: ${sumsHash}`);
  return { dir, out, stationKey: Buffer.from(ed25519.getPublicKey(seed)).toString('hex') };
}

describe.skipIf(!TOOLS && process.env['CI'] !== 'true')(
  'an evidence pack audited with the pack alone',
  () => {
    it('passes sha256sum and verify-pack.py (chain, reals, spine, seal, chainHeadAtIssue, checkpoint, profile hash)', () => {
      const { out, stationKey } = makePack();
      expect(run('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], out).status).toBe(0);
      expect(readFileSync(join(out, 'evidence/events.jsonl'), 'utf8')).toContain(
        '"zxcvbn_log10_guesses":12,',
      );
      const verify = run('python3', ['verify-pack.py', '--station-key', stationKey], out);
      expect(verify.stdout).toContain('ALL CHECKS PASSED');
      expect(verify.stdout).toContain('the statement row matches its compliance seal');
      expect(verify.stdout).toContain('is on the signed chain');
      expect(verify.stdout).toMatch(/OK {3}checkpoint 1 .* Ed25519 signature/);
      expect(verify.stdout).toContain("equals the batch's");
      expect(verify.status).toBe(0);
      const readme = readFileSync(join(out, 'README.md'), 'utf8');
      expect(readme).toContain('python3 verify-pack.py');
      for (const elsewhere of [
        'credline soc check',
        'credline profiles show',
        'docs/evidence.md',
        '--db FILE',
      ]) {
        expect(readme).not.toContain(elsewhere);
      }
      expect(run('python3', ['verify-pack.py', '--station-key', '00'.repeat(32)], out).status).toBe(1);
    });

    it('catches an edited record, an edited statement row and a restricted pack says what its seq gaps are', () => {
      const { out } = makePack({ restricted: true });
      const verify = run('python3', ['verify-pack.py'], out);
      expect(verify.status).toBe(0);
      expect(verify.stdout).toMatch(/are outside this pack \(hash only, on the spine\)/);
      const events = join(out, 'evidence/events.jsonl');
      writeFileSync(
        events,
        readFileSync(events, 'utf8').replace('"zxcvbn_log10_guesses":12,', '"zxcvbn_log10_guesses":13,'),
      );
      const edited = run('python3', ['verify-pack.py'], out);
      expect(edited.status).toBe(1);
      expect(edited.stdout).toMatch(/FAIL .*hash to their row_hash/);
      const row = join(out, 'statement/issued-row.json');
      writeFileSync(row, readFileSync(row, 'utf8').replace('"date_of_issue": "', '"date_of_issue": "1'));
      expect(run('python3', ['verify-pack.py'], out).stdout).toMatch(
        /FAIL the statement row matches its compliance seal/,
      );
    });
  },
);

describe('a restricted pack of a batch with two statements', () => {
  it('asks which statement it answers with, and carries the one named', () => {
    const db = createEvidenceFixture({ devices: 2 });
    const dir = temporaryDirectory();
    for (const n of [1, 2]) {
      const issued = run(process.execPath, [
        CLI,
        'soc',
        'issue',
        '--db',
        db,
        '--product',
        DEMO_PRODUCT_PATH,
        '--batch',
        'DEMO-B1',
        '--signatory',
        'Ana Silva, Compliance',
        '--place',
        'Leeds',
        '--out',
        join(dir, `s${n}`),
      ]);
      expect(issued.status).toBe(0);
    }
    const range = ['--serial-from', 'DEMO-100001', '--serial-to', 'DEMO-100001'];
    const ambiguous = run(process.execPath, [
      CLI,
      'pack',
      '--db',
      db,
      '--batch',
      'DEMO-B1',
      ...range,
      '--out',
      join(dir, 'a'),
    ]);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toContain('has 2 statements of compliance (ids 1, 2)');
    const chosen = run(process.execPath, [
      CLI,
      'pack',
      '--db',
      db,
      '--batch',
      'DEMO-B1',
      ...range,
      '--statement',
      '1',
      '--out',
      join(dir, 'b'),
    ]);
    expect(chosen.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'b', 'manifest.json'), 'utf8'))).toMatchObject({
      statementId: 1,
    });
  });
});

describe('verify-pack.py, a file shipped with the package', () => {
  const shipped = new URL('../../src/compliance/verify-pack.py', import.meta.url);

  it('is copied into every pack byte for byte', () => {
    const { out } = makePack();
    expect(readFileSync(join(out, 'verify-pack.py')).equals(readFileSync(shipped))).toBe(true);
  });

  it('is in the npm package', () => {
    const root = new URL('../..', import.meta.url).pathname;
    const listed = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], root);
    expect(listed.status).toBe(0);
    const [manifest] = JSON.parse(listed.stdout) as { files: { path: string }[] }[];
    expect(manifest?.files.map((f) => f.path)).toContain('src/compliance/verify-pack.py');
  });
});
