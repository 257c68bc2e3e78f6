/**
 * The CLI with a line key in a SoftHSM2 token, run as a user would: keys import/create/info --pkcs11, and derive,
 * audit --derive and pack --key giving byte-identical results to the key file holding the same key. Each refusal
 * is one line with exit 2, and the PIN appears in no output.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvidenceFixture } from '../../compliance/evidence-fixture.js';
import { DEMO_PRODUCT_PATH } from '../../compliance/helpers.js';
import { type CliResult, TEST_KEY, TEST_PASSPHRASE_FILE, runCli } from '../../cli/run-cli.js';
import { SOFTHSM_MODULE, USER_PIN, createSoftHsm, haveSoftHsm, type SoftHsm } from '../../support/softhsm.js';

const URI = 'pkcs11:token=line3;object=line-key';

describe.skipIf(!haveSoftHsm())('credline with a line key in a SoftHSM2 token', () => {
  let hsm: SoftHsm;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const outputs: string[] = [];
  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): CliResult => {
    const result = runCli(args, { env: { ...env, ...extraEnv } });
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  const token = ['--pkcs11-module', SOFTHSM_MODULE, '--pin-env', 'LINE3_PIN'];
  const file = ['--passphrase-file', TEST_PASSPHRASE_FILE];

  const oneLine = (r: CliResult, message: RegExp, status = 2): void => {
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(status);
  };

  beforeAll(() => {
    hsm = createSoftHsm('line3');
    dir = mkdtempSync(join(tmpdir(), 'credline-token-cli-'));
    env = { ...hsm.env, LINE3_PIN: USER_PIN, CREDLINE_PKCS11_MODULE: '' };
    const imported = run(['keys', 'import', '--pkcs11', URI, '--key-file', TEST_KEY, ...file, ...token]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe(`imported line key d9c183eb84616abf into token "line3": ${URI}\n`);
  });

  afterAll(() => {
    for (const text of outputs) expect(text).not.toContain(USER_PIN);
    hsm?.cleanup();
  });

  it('shows the token key (key id computed by the token) and generates a new one inside it', () => {
    const info = run(['keys', 'info', URI, ...token, '--format', 'json']);
    expect(info.status).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({
      uri: URI,
      keyId: 'd9c183eb84616abf',
      token: { label: 'line3', model: 'SoftHSM v2' },
      object: {
        label: 'line-key',
        id: 'd9c183eb84616abf',
        sensitive: true,
        extractable: false,
        local: false,
      },
    });
    const created = run(['keys', 'create', '--pkcs11', 'pkcs11:token=line3;object=fresh', ...token]);
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(
      /^generated line key [0-9a-f]{16} in token "line3": pkcs11:token=line3;object=fresh\n$/,
    );
    const text = run(['keys', 'info', 'pkcs11:token=line3;object=fresh', ...token]);
    expect(text.stdout).toContain('origin:     generated in the token');
  });

  it('derives the published vectors and a batch byte-identical to the key file', () => {
    const one = run([
      'derive',
      '--key',
      URI,
      ...token,
      '--profile-id',
      'acme-cam',
      '--serial',
      'KL2301-100001',
      '--no-policy',
    ]);
    expect(one.stdout).toBe('wNADKmUL9yu5\n');
    const serials = join(dir, 'serials.txt');
    writeFileSync(serials, Array.from({ length: 600 }, (_, i) => `KL2301-${100000 + i}`).join('\n'));
    const args = ['derive', '--profile', 'credline-agent', '--serials-file', serials, '--force'];
    const fromToken = run([...args, '--key', URI, ...token, '--out', join(dir, 'token.csv')]);
    const fromFile = run([...args, '--key', TEST_KEY, ...file, '--out', join(dir, 'file.csv')]);
    expect([fromToken.status, fromFile.status]).toEqual([0, 0]);
    const csv = readFileSync(join(dir, 'token.csv'), 'utf8');
    expect(csv.split('\n')).toHaveLength(602);
    expect(csv).toBe(readFileSync(join(dir, 'file.csv'), 'utf8'));
  });

  it('audits a derived batch and builds an evidence pack with the token key, as with the key file', () => {
    const serials = join(dir, 'audit-serials.txt');
    writeFileSync(serials, Array.from({ length: 200 }, (_, i) => `KL2301-${200000 + i}`).join('\n'));
    const audit = [
      'audit',
      '--derive',
      '--profile',
      'credline-agent',
      '--serials-file',
      serials,
      '--format',
      'json',
    ];
    const fromToken = run([...audit, '--key', URI, ...token]);
    const fromFile = run([...audit, '--key', TEST_KEY, ...file]);
    expect(fromToken.status).toBe(0);
    const strip = (text: string): unknown => ({
      ...(JSON.parse(text) as object),
      generatedAt: null,
      durationMs: null,
    });
    expect(strip(fromToken.stdout)).toEqual(strip(fromFile.stdout));

    const db = createEvidenceFixture({ devices: 4 });
    const issued = run([
      'soc',
      'issue',
      '--db',
      db,
      '--product',
      DEMO_PRODUCT_PATH,
      '--batch',
      'DEMO-B1',
      '--signatory',
      'Test Signatory, Head of Compliance',
      '--place',
      'Exampleton',
      '--out',
      join(dir, 'soc'),
    ]);
    expect(issued.status).toBe(0);
    const pack = run([
      'pack',
      '--db',
      db,
      '--batch',
      'DEMO-B1',
      '--out',
      join(dir, 'pack'),
      '--key',
      URI,
      ...token,
    ]);
    expect(pack.stderr).toBe('');
    expect(pack.stdout).toContain('audit (re-derived with the line key): PASS, 0 fingerprint mismatch(es)');
  });

  it('refuses a wrong PIN, a missing module, an absent token or key, each in one line with exit 2', () => {
    const derive = ['derive', '--profile-id', 'acme-cam', '--serial', 'KL2301-100001'];
    oneLine(
      run([...derive, '--key', URI, ...token], { LINE3_PIN: '0000' }),
      /^credline: wrong PIN for token "line3"$/m,
    );
    oneLine(
      run([...derive, '--key', URI, '--pkcs11-module', '/nonexistent/libp11.so', '--pin-env', 'LINE3_PIN']),
      /^credline: cannot load the PKCS#11 module \/nonexistent\/libp11.so: /,
    );
    oneLine(
      run([...derive, '--key', 'pkcs11:token=line4;object=line-key', ...token]),
      /no token labelled "line4" is present/,
    );
    oneLine(
      run([...derive, '--key', 'pkcs11:token=line3;object=gone', ...token]),
      /no key "gone" on token "line3"/,
    );
    oneLine(
      run([...derive, '--key', URI, '--pin-env', 'LINE3_PIN']),
      /needs its PKCS#11 library: --pkcs11-module/,
    );
    oneLine(
      run([...derive, '--key', `${URI}?pin-value=${USER_PIN}`, ...token]),
      /a PIN in the URI is refused .*use --pin-env or --pin-file/,
    );
  });
});
