/**
 * `credline provision` with the line key in a SoftHSM2 token, as an operator runs it: provision in its own process,
 * the simulator in another, socat ptys between them. The token twin of the test-vector key gives byte-identical
 * passwords (labels), fingerprints and attempts to the key file; a token removed mid-run FAILs the unit in hand
 * (never PASS) and ends the run with exit 3; errors before the run are one line and exit 2, with nothing created.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEvidenceStore, verifyEvidence } from '../../src/evidence/index.js';
import { TEST_KEY, TEST_PASSPHRASE_FILE, runCli } from '../cli/run-cli.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startProvision, type ProvisionProcess } from '../support/provision-process.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { SOFTHSM_MODULE, USER_PIN, createSoftHsm, haveSoftHsm, type SoftHsm } from '../support/softhsm.js';

const URI = 'pkcs11:token=line3;object=line-key';

/** Resolves once `file` (which may not exist yet) contains `text`: watched, not polled against a deadline. */
function untilFileContains(file: string, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => existsSync(file) && readFileSync(file, 'utf8').includes(text);
    const watcher = watch(dirname(file), (_event, name) => {
      if (name !== basename(file) || !check()) return;
      watcher.close();
      resolve();
    });
    if (check()) {
      watcher.close();
      resolve();
    }
  });
}
const ready = haveSoftHsm() && havePrerequisites('provision with a token key over pseudo-terminals', SOCAT);

describe.skipIf(!ready)('credline provision with the line key in a SoftHSM2 token', () => {
  let hsm: SoftHsm;
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  const stations: ProvisionProcess[] = [];
  const token = ['--key', URI, '--pkcs11-module', SOFTHSM_MODULE, '--pin-env', 'LINE3_PIN'];

  beforeAll(() => {
    hsm = createSoftHsm('line3');
    process.env['LINE3_PIN'] = USER_PIN;
    importTestKey();
  });

  /** Imports the test-vector key (held in escrow as the sealed fixture) into the token. */
  function importTestKey(): void {
    const imported = runCli(
      [
        'keys',
        'import',
        '--pkcs11',
        URI,
        '--key-file',
        TEST_KEY,
        '--passphrase-file',
        TEST_PASSPHRASE_FILE,
        '--pkcs11-module',
        SOFTHSM_MODULE,
        '--pin-env',
        'LINE3_PIN',
      ],
      { env: hsm.env },
    );
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
  }
  afterEach(async () => {
    for (const s of stations.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });
  afterAll(() => {
    delete process.env['LINE3_PIN'];
    hsm?.cleanup();
  });

  async function line(simArgs: string[]): Promise<{ pair: PtyPair; sim: SimProcess }> {
    const pair = await openPtyPair();
    pairs.push(pair);
    const sim = startSim(['--port', pair.device, '--swap-gap-ms', '20', ...simArgs]);
    sims.push(sim);
    return { pair, sim };
  }

  function provision(dir: string, port: string, args: string[]): ProvisionProcess {
    const p = startProvision([
      '--batch',
      'TOKEN-B1',
      '--support-end',
      '2031-12-31',
      '--db',
      join(dir, 'evidence.db'),
      '--station',
      'token-line',
      '--port',
      port,
      ...args,
    ]);
    stations.push(p);
    return p;
  }

  const labelsOf = (file: string): unknown[] =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => ({ ...(JSON.parse(l) as object), printedAt: null }));

  it('gives the same passwords, fingerprints and attempts as the key file holding the same key', async () => {
    const runs = [];
    for (const key of [token, ['--key', TEST_KEY, '--passphrase-file', TEST_PASSPHRASE_FILE]]) {
      const dir = mkdtempSync(join(tmpdir(), 'credline-token-prov-'));
      const { pair } = await line(['--devices', '5', '--serial-prefix', 'TK', '--seed', '7']);
      const station = provision(dir, pair.host, [
        ...key,
        '--allow-test-key',
        '--count',
        '5',
        '--labels',
        join(dir, 'labels.jsonl'),
      ]);
      expect(await station.exit).toBe(0);
      runs.push({ dir, station });
    }
    const [fromToken, fromFile] = runs as [(typeof runs)[0], (typeof runs)[0]];
    const facts = (p: ProvisionProcess): unknown[] =>
      p.devices().map((d) => [d['serial'], d['result'], d['attempt'], d['fingerprint'], d['keyId']]);
    expect(facts(fromToken.station)).toHaveLength(5);
    expect(facts(fromToken.station)).toEqual(facts(fromFile.station));
    expect(labelsOf(join(fromToken.dir, 'labels.jsonl'))).toEqual(
      labelsOf(join(fromFile.dir, 'labels.jsonl')),
    );
    expect(fromToken.station.lines()[0]).toMatchObject({
      type: 'start',
      keyId: 'd9c183eb84616abf',
      testKey: true,
    });
    expect(fromToken.station.stderr()).not.toContain(USER_PIN);
  });

  it('FAILs the unit in hand and exits 3 when the token is removed mid-run; no unit after it PASSes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-token-lost-'));
    const first = await line(['--devices', '2', '--serial-prefix', 'TA']);
    const station = provision(dir, first.pair.host, [...token, '--allow-test-key']);
    await station.waitForLine((l) => l['type'] === 'device' && l['serial'] === 'TA1-000002');
    await new Promise((resolve) => {
      if (first.sim.process.exitCode !== null) resolve(undefined);
      else first.sim.process.once('exit', resolve);
    });
    // Pull the token: SoftHSM2 loses the key object once its token directory is gone.
    rmSync(join(hsm.dir, 'tokens'), { recursive: true, force: true });
    sims.push(startSim(['--port', first.pair.device, '--devices', '1', '--serial-prefix', 'TB']));
    expect(await station.exit).toBe(3);
    expect(station.devices().map((d) => [d['serial'], d['result'], d['reason']])).toEqual([
      ['TA1-000001', 'PASS', null],
      ['TA1-000002', 'PASS', null],
      ['TB1-000001', 'FAIL', 'token-lost'],
    ]);
    expect(station.lines().at(-1)).toMatchObject({ type: 'end', pass: 2, fail: 1 });
    const errors = station
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('credline: '));
    expect(errors.at(-1)).toMatch(
      /^credline: the line key's token "line3" stopped answering \(CKR_[A-Z_]+\)/,
    );
    const db = join(dir, 'evidence.db');
    expect(verifyEvidence(db).problems).toEqual([]);
    const store = openEvidenceStore(db);
    try {
      expect(store.findPass('TB1-000001', 'd9c183eb84616abf')).toBeUndefined();
    } finally {
      store.close();
    }
    hsm.cleanup();
    hsm = createSoftHsm('line3');
    importTestKey();
  });

  it('with two ports, the unit in hand on the other port ends ABORTED, not PASS, when the token goes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-token-gang-'));
    const patient = join(dir, 'patient.json');
    const profile = JSON.parse(
      readFileSync(join(__dirname, '../../device-profiles/credline-agent-psk.json'), 'utf8'),
    ) as { dialogue: { commit: Array<{ timeoutMs: number }> } };
    for (const step of profile.dialogue.commit) step.timeoutMs = 600_000;
    writeFileSync(patient, JSON.stringify(profile));
    const [one, two] = [await openPtyPair(), await openPtyPair()];
    pairs.push(one, two);
    const trace = join(dir, 'trace.log');
    const station = provision(dir, one.host, [
      ...token,
      '--allow-test-key',
      '--profile',
      patient,
      '--port',
      two.host,
      '--trace',
      trace,
    ]);
    // Port 2's unit is held at COMMIT (its flash write never ends) while the token is pulled.
    sims.push(
      startSim(['--port', two.device, '--devices', '1', '--serial-prefix', 'TH', '--commit-ms', '600000']),
    );
    await untilFileContains(trace, `${two.host} > COMMIT`);
    rmSync(join(hsm.dir, 'tokens'), { recursive: true, force: true });
    sims.push(startSim(['--port', one.device, '--devices', '1', '--serial-prefix', 'TC']));
    expect(await station.exit).toBe(3);
    const results = station.devices().map((d) => [d['serial'], d['result'], d['reason']]);
    expect(results).toEqual(
      expect.arrayContaining([
        ['TC1-000001', 'FAIL', 'token-lost'],
        ['TH1-000001', 'ABORTED', 'aborted'],
      ]),
    );
    expect(results).toHaveLength(2);
    hsm.cleanup();
    hsm = createSoftHsm('line3');
    importTestKey();
  });

  it.each([
    ['a wrong PIN', ['--pin-env', 'WRONG_PIN'], /^credline: wrong PIN for token "line3"$/],
    [
      'a token that is not there',
      ['--key', 'pkcs11:token=line9;object=line-key'],
      /no token labelled "line9"/,
    ],
    ['a key that is not there', ['--key', 'pkcs11:token=line3;object=nope'], /"nope"/],
    ['a missing module', ['--pkcs11-module', '/nonexistent/libpkcs11.so'], /cannot load the PKCS#11 module/],
    ['the test-vector key without --allow-test-key', ['--no-allow'], /published test-vector key/],
  ])('refuses %s before the run: one line, exit 2, no evidence file', async (_name, change, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-token-refused-'));
    const pair = await openPtyPair();
    pairs.push(pair);
    const args = [...token, '--allow-test-key'];
    const set = (option: string, value: string | undefined): void => {
      const at = args.indexOf(option);
      if (value === undefined) args.splice(at, 1);
      else args[at + 1] = value;
    };
    if (change[0] === '--no-allow') set('--allow-test-key', undefined);
    else set(change[0] ?? '', change[1]);
    process.env['WRONG_PIN'] = '0000-not-it';
    const station = provision(dir, pair.host, args);
    expect(await station.exit).toBe(2);
    const lines = station.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(station.stderr()).not.toContain(USER_PIN);
    expect(existsSync(join(dir, 'evidence.db'))).toBe(false);
  });
});
