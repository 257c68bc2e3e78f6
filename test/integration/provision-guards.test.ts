/**
 * The guards an operator meets in `credline provision`, run as a separate process with the simulator in another,
 * over socat ptys: test keys refused unless allowed (and then marked everywhere), re-provisioning only the named
 * units, a port that does not exist or that another process holds reported at once, `--wait-for-port`.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { createKeyFile } from '../../src/keys/index.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { FIXTURE_LINE_KEY, FIXTURE_PASSPHRASE_FILE, startProvision } from '../support/provision-process.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';

const ready = havePrerequisites('provision guards over pseudo-terminals', SOCAT);

describe.skipIf(!ready)('provision guards', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });
  const newPair = async (links?: { host: string; device: string }): Promise<PtyPair> => {
    const pair = await openPtyPair(links);
    pairs.push(pair);
    return pair;
  };
  const serve = (device: string, extra: string[]): SimProcess => {
    const sim = startSim(['--port', device, '--swap-gap-ms', '20', ...extra]);
    sims.push(sim);
    return sim;
  };

  it('refuses the published test-vector key and a demo key without --allow-test-key, before anything is opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-testkey-'));
    const pair = await newPair();
    const db = join(dir, 'line.db');
    const common = ['--batch', 'B1', '--support-end', '2031-12-31', '--db', db, '--port', pair.host];
    const vector = startProvision([
      '--key',
      FIXTURE_LINE_KEY,
      '--passphrase-file',
      FIXTURE_PASSPHRASE_FILE,
      ...common,
    ]);
    expect(await vector.exit).toBe(2);
    expect(vector.stderr()).toBe(
      `credline: ${FIXTURE_LINE_KEY}: d9c183eb84616abf is the published test-vector key: anyone can derive its ` +
        'passwords; provision refuses it for real units (tests and demos give --allow-test-key, and every record ' +
        'of the run then says so)\n',
    );
    const demoKey = join(dir, 'demo.ckey');
    const pass = join(dir, 'demo.pass');
    writeFileSync(pass, 'demo key passphrase\n', { mode: 0o600 });
    const header = await createKeyFile(demoKey, {
      kind: 'line',
      passphrase: 'demo key passphrase',
      demo: true,
    });
    const demo = startProvision(['--key', demoKey, '--passphrase-file', pass, ...common]);
    expect(await demo.exit).toBe(2);
    expect(demo.stderr()).toContain(`key ${header.keyId} is marked as a demo key (keys create --demo)`);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a --support-end that is not a date, in one line (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-date-'));
    const run = startProvision(
      ['--batch', 'B1', '--support-end', '2031-02-30', '--db', join(dir, 'l.db')].concat([
        '--port',
        '/dev/null',
      ]),
    );
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain(
      "option '--support-end <YYYY-MM-DD>' argument '2031-02-30' is invalid. expected a date YYYY-MM-DD",
    );
  });

  it('with --allow-test-key, the start record, every device record, every label and the batch say so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-testkey-'));
    const pair = await newPair();
    serve(pair.device, ['--devices', '2']);
    const db = join(dir, 'line.db');
    const labels = join(dir, 'labels.jsonl');
    const run = startProvision([
      ...['--batch', 'B1', '--support-end', '2031-12-31', '--db', db, '--port', pair.host],
      ...['--count', '2', '--labels', labels],
    ]);
    expect(await run.exit).toBe(0);
    expect(run.lines()[0]).toMatchObject({ type: 'start', keyId: 'd9c183eb84616abf', testKey: true });
    expect(run.devices().map((d) => [d['result'], d['testKey']])).toEqual([
      ['PASS', true],
      ['PASS', true],
    ]);
    expect(run.stderr()).toContain('TEST KEY: d9c183eb84616abf is the published test-vector key');
    const printed = readFileSync(labels, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(printed.map((l) => l['testKey'])).toEqual([true, true]);
    const store = openEvidenceStore(db, { readonly: true });
    try {
      expect(store.getBatchTerms('B1')).toMatchObject({ keyId: 'd9c183eb84616abf', testKey: true });
    } finally {
      store.close();
    }
  });

  it('re-provisions only the units named (--reprovision, --reprovision-file), each recorded with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-rework-'));
    const pair = await newPair();
    const db = join(dir, 'line.db');
    const station = ['--batch', 'B1', '--support-end', '2031-12-31', '--db', db, '--port', pair.host];
    serve(pair.device, ['--devices', '2', '--serial-prefix', 'RW']);
    expect(await startProvision([...station, '--count', '2']).exit).toBe(0);

    serve(pair.device, ['--devices', '2', '--serial-prefix', 'RW']);
    const named = startProvision([
      ...station,
      '--count',
      '2',
      '--reprovision',
      'rw1-000001',
      '--reason',
      'RMA 7',
    ]);
    expect(await named.exit).toBe(1);
    expect(named.devices().map((d) => [d['serial'], d['result'], d['reason'], d['reprovisioned']])).toEqual([
      ['RW1-000001', 'PASS', null, true],
      ['RW1-000002', 'FAIL', 'already-provisioned', false],
    ]);
    expect(String(named.devices()[1]?.['detail'])).toContain('--reprovision RW1-000002 --reason TEXT');

    const list = join(dir, 'rework.txt');
    writeFileSync(list, '# units back from RMA 8\r\n\r\nRW1-000002\r\n');
    serve(pair.device, ['--devices', '2', '--serial-prefix', 'RW']);
    const fromFile = startProvision([
      ...station,
      '--count',
      '2',
      '--reprovision-file',
      list,
      '--reason',
      'RMA 8',
    ]);
    expect(await fromFile.exit).toBe(1);
    expect(fromFile.devices().map((d) => [d['serial'], d['result'], d['reprovisioned']])).toEqual([
      ['RW1-000001', 'FAIL', false],
      ['RW1-000002', 'PASS', true],
    ]);
    const store = openEvidenceStore(db, { readonly: true });
    try {
      const reasons = (serial: string): Array<string | null> =>
        store
          .historyOf(serial)
          .events.filter((e) => e.kind === 'INTENT')
          .map((e) => e.reprovisionReason);
      expect(reasons('RW1-000001')).toEqual([null, 'RMA 7', null]);
      expect(reasons('RW1-000002')).toEqual([null, null, 'RMA 8']);
    } finally {
      store.close();
    }
    writeFileSync(list, 'RW1-000003\n\u0007bad\n');
    const bad = startProvision([...station, '--count', '1', '--reprovision-file', list, '--reason', 'RMA 9']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toMatch(new RegExp(`^credline: ${list} line 2: `));
  });

  it('a port that does not exist is reported at once (exit 3), and waited for with --wait-for-port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-ports-'));
    const links = { host: join(dir, 'ttyLATE'), device: join(dir, 'ttyLATE-dev') };
    const db = join(dir, 'line.db');
    const station = ['--batch', 'B1', '--support-end', '2031-12-31', '--db', db, '--port', links.host];
    const missing = startProvision([...station, '--count', '1']);
    expect(await missing.exit).toBe(3);
    expect(missing.stderr()).toBe(
      `credline: cannot open ${links.host}: the port does not exist (credline ports lists the serial ports; ` +
        '--wait-for-port waits until a port can be opened)\n',
    );
    expect(existsSync(db)).toBe(false);

    const waiting = startProvision([...station, '--count', '1', '--wait-for-port']);
    await waiting.waitForLine((l) => l['type'] === 'port' && l['state'] === 'unavailable');
    const pair = await newPair(links);
    serve(pair.device, ['--devices', '1']);
    expect(await waiting.exit).toBe(0);
    expect(waiting.devices()).toMatchObject([{ result: 'PASS' }]);
  });

  it('a port another process holds is refused at once, naming the process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-ports-'));
    const pair = await newPair();
    const holder = serve(pair.host, ['--devices', '1']); // a simulator started on the wrong end holds it
    await new Promise<void>((resolve) => {
      if (holder.events.length > 0) resolve();
      else holder.process.stdout?.once('data', () => resolve());
    });
    const busy = startProvision([
      ...['--batch', 'B1', '--support-end', '2031-12-31', '--db', join(dir, 'line.db'), '--port', pair.host],
      '--count',
      '1',
    ]);
    expect(await busy.exit).toBe(3);
    expect(busy.stderr()).toContain(
      `credline: cannot open ${pair.host}: the port is held by another process: pid ${holder.process.pid} (`,
    );
    expect(busy.stderr()).toContain('credline.js sim');
  });
});
