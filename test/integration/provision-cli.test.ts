/**
 * `credline provision` as an operator runs it: a separate process, the sealed test-fixture key, the simulator in
 * another process over socat ptys. Covers JSON-line output, exit codes, kill -9 mid-device then restart (clean
 * chain, no false PASS), Ctrl-C finishing the unit in hand, and label output that never goes to stdout.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEvidenceStore, verifyEvidence } from '../../src/evidence/index.js';
import { REASON_ADVICE } from '../../src/reasons/index.js';
import { parseProvisionRecord } from '../support/jsonl-schema.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { CLI, startSim, type SimProcess } from '../support/sim-process.js';

const ready = havePrerequisites('credline provision end-to-end over pseudo-terminals', SOCAT);
const FIXTURES = join(__dirname, '../fixtures');

interface Station {
  child: ChildProcess;
  lines: () => Array<Record<string, unknown>>;
  stderr: () => string;
  /** Resolves once `check` holds for what the station has written to stdout and stderr (re-checked as it writes). */
  until: (check: () => boolean) => Promise<void>;
  exit: Promise<number | null>;
}

/**
 * The shipped profile with COMMIT allowed 10 minutes, written to `dir`: a unit held at COMMIT stays in hand however
 * long the test takes to act.
 */
function writePatientProfile(dir: string): string {
  const shipped = join(__dirname, '../../device-profiles/credline-agent-psk.json');
  const profile = JSON.parse(readFileSync(shipped, 'utf8')) as {
    dialogue: { commit: Array<{ timeoutMs: number }> };
  };
  for (const step of profile.dialogue.commit) step.timeoutMs = 600_000;
  const path = join(dir, 'credline-agent-psk-patient.json');
  writeFileSync(path, JSON.stringify(profile));
  return path;
}

/** Resolves once `file` (which may not exist yet) contains `text`: watched, not polled against a deadline. */
function untilFileContains(file: string, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => existsSync(file) && readFileSync(file, 'utf8').includes(text);
    if (check()) return resolve();
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

function startStation(
  dir: string,
  ports: string[],
  extra: string[],
  profile = 'credline-agent-psk',
): Station {
  const args = [
    CLI,
    'provision',
    '--profile',
    profile,
    '--key',
    join(FIXTURES, 'test-vector-line-key.ckey'),
    '--passphrase-file',
    join(FIXTURES, 'test-vector-passphrase.txt'),
    '--allow-test-key',
    '--batch',
    'CLI-BATCH',
    '--support-end',
    '2031-12-31',
    '--db',
    join(dir, 'evidence.db'),
    '--station',
    'cli-test',
    '--format',
    'jsonl',
    '--trace',
    join(dir, 'trace.log'),
    ...ports.flatMap((p) => ['--port', p]),
    ...extra,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  const changed = (): void => watchers.forEach((w) => w());
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
    changed();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
    changed();
  });
  return {
    child,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.trim())
        .map(parseProvisionRecord),
    stderr: () => err,
    until: (check) =>
      new Promise((resolve) => {
        const watcher = (): void => {
          if (!check()) return;
          watchers.delete(watcher);
          resolve();
        };
        watchers.add(watcher);
        watcher();
      }),
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
}

describe.skipIf(!ready)('credline provision (CLI)', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  const stations: Station[] = [];
  afterEach(async () => {
    for (const s of stations.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });

  it('prints one JSON line per device and exits 1 when one FAILs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-cli-'));
    const pair = await openPtyPair();
    pairs.push(pair);
    sims.push(startSim(['--port', pair.device, '--devices', '3', '--fault', 'nak@2', '--swap-gap-ms', '20']));
    const station = startStation(
      dir,
      [pair.host],
      [
        '--count',
        '3',
        '--labels',
        join(dir, 'labels.jsonl'),
        '--station-key',
        join(FIXTURES, 'test-station-key.json'),
        '--station-passphrase-file',
        join(FIXTURES, 'test-station-key-passphrase.txt'),
      ],
    );
    stations.push(station);
    expect(await station.exit).toBe(1);
    const devices = station.lines().filter((l) => l['type'] === 'device');
    expect(devices.map((d) => [d['serial'], d['result'], d['reason'] ?? null])).toEqual([
      ['SIM1-000001', 'PASS', null],
      ['SIM1-000002', 'FAIL', 'nak'],
      ['SIM1-000003', 'PASS', null],
    ]);
    expect(station.lines().at(-1)).toMatchObject({ type: 'end', pass: 2, fail: 1 });
    // The records an MES reads (provisioning/JSONL.md; every line was checked against the schema above).
    expect(station.lines()[0]).toEqual({
      v: 1,
      type: 'start',
      profile: 'credline-agent-psk',
      profileRevision: 1,
      profileHash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      keyId: 'd9c183eb84616abf',
      testKey: true,
      batch: 'CLI-BATCH',
      station: 'cli-test',
      ports: [pair.host],
      at: expect.any(String) as unknown,
    });
    expect(devices[0]).toMatchObject({
      keyId: 'd9c183eb84616abf',
      batch: 'CLI-BATCH',
      port: pair.host,
      attempt: 0,
      reason: null,
      advice: null,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      mac: expect.stringMatching(/^02(:[0-9a-f]{2}){5}$/) as unknown,
      firmware: '1.4.2',
    });
    expect(devices[1]).toMatchObject({ reason: 'nak', advice: REASON_ADVICE['nak'] });
    for (const d of devices) {
      const tenths = (d['elapsedMs'] as number) * 10;
      expect(Math.abs(tenths - Math.round(tenths))).toBeLessThan(1e-6);
    }
    expect(statSync(join(dir, 'labels.jsonl')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(station.stderr()).toContain('signed by station key 21fe31dfa154a261');
    const report = verifyEvidence(join(dir, 'evidence.db'), {
      stationPublicKeys: ['d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'],
    });
    expect(report.ok).toBe(true);
    expect(report.unsigned).toBe(0);
  });

  it('kill -9 mid-device, then restart: the open intent is closed ABORTED, the chain verifies, no false PASS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-kill-'));
    const pair = await openPtyPair();
    pairs.push(pair);
    // This unit never finishes its commit (10 minutes) and the profile waits as long: the station is surely inside
    // a device when it dies. The unit stays in the fixture: the restart meets it again (a fresh simulator, same unit).
    const stuck = startSim([
      '--port',
      pair.device,
      '--devices',
      '2',
      '--commit-ms',
      '600000',
      '--swap-gap-ms',
      '20',
    ]);
    sims.push(stuck);
    const profile = writePatientProfile(dir);
    const first = startStation(dir, [pair.host], ['--count', '2'], profile);
    stations.push(first);
    await untilFileContains(join(dir, 'trace.log'), '> COMMIT');
    first.child.kill('SIGKILL');
    await first.exit;
    await stuck.stop();
    sims.push(startSim(['--port', pair.device, '--devices', '2', '--swap-gap-ms', '20']));

    const second = startStation(dir, [pair.host], ['--count', '2'], profile);
    stations.push(second);
    expect(await second.exit).toBe(0);
    // The operator is told which unit was in hand and what to do with it (it may hold a password without a label).
    expect(second.lines().filter((l) => l['type'] === 'interrupted')).toMatchObject([
      {
        serial: 'SIM1-000001',
        port: pair.host,
        advice: 're-seat it and provision it again (it gets the same password; its label was never printed)',
      },
    ]);
    expect(
      second
        .lines()
        .filter((l) => l['type'] === 'device')
        .map((d) => [d['serial'], d['result']]),
    ).toEqual([
      ['SIM1-000001', 'PASS'],
      ['SIM1-000002', 'PASS'],
    ]);
    const report = verifyEvidence(join(dir, 'evidence.db'));
    expect(report.problems).toEqual([]);
    const store = openEvidenceStore(join(dir, 'evidence.db'));
    try {
      const history = store.historyOf('SIM1-000001').events.map((e) => `${e.kind} ${e.result ?? ''}`.trim());
      expect(history).toEqual(['INTENT', 'RESULT ABORTED', 'INTENT', 'RESULT PASS']);
      expect(store.listIncomplete()).toEqual([]);
      const passes = [...store.iterateEvents({ result: 'PASS' })];
      expect(passes.map((e) => e.serial).sort()).toEqual(['SIM1-000001', 'SIM1-000002']);
    } finally {
      store.close();
    }
  });

  it('Ctrl-C finishes the unit in hand, records it, and stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-sigint-'));
    const pair = await openPtyPair();
    pairs.push(pair);
    // One unit whose commit never ends on its own: it is in hand when the Ctrl-C comes, and the simulator lets the
    // commit finish (SIGUSR2) only once the station has taken the Ctrl-C.
    const sim = startSim([
      '--port',
      pair.device,
      '--devices',
      '1',
      '--commit-ms',
      '600000',
      '--swap-gap-ms',
      '20',
    ]);
    sims.push(sim);
    const station = startStation(dir, [pair.host], [], writePatientProfile(dir));
    stations.push(station);
    await untilFileContains(join(dir, 'trace.log'), '> COMMIT');
    station.child.kill('SIGINT');
    await station.until(() => station.stderr().includes('stopping after the devices in hand'));
    sim.process.kill('SIGUSR2');
    expect(await station.exit).toBe(0);
    expect(
      station
        .lines()
        .filter((l) => l['type'] === 'device')
        .map((d) => d['result']),
    ).toEqual(['PASS']);
    expect(station.stderr()).toContain('stopping after the devices in hand');
    expect(verifyEvidence(join(dir, 'evidence.db')).ok).toBe(true);
  });

  it('Ctrl-C twice aborts the unit in hand: recorded ABORTED, never PASS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-abort-'));
    const pair = await openPtyPair();
    pairs.push(pair);
    // The unit never finishes its commit and the profile waits: it is in hand for both Ctrl-Cs.
    sims.push(startSim(['--port', pair.device, '--commit-ms', '600000', '--swap-gap-ms', '20']));
    const station = startStation(dir, [pair.host], [], writePatientProfile(dir));
    stations.push(station);
    await untilFileContains(join(dir, 'trace.log'), '> COMMIT');
    station.child.kill('SIGINT');
    await station.until(() => station.stderr().includes('stopping after the devices in hand'));
    station.child.kill('SIGINT');
    expect(await station.exit).toBe(1);
    expect(station.lines().filter((l) => l['type'] === 'device')).toMatchObject([
      { result: 'ABORTED', reason: 'aborted' },
    ]);
    const store = openEvidenceStore(join(dir, 'evidence.db'));
    try {
      expect([...store.iterateEvents({ result: 'PASS' })]).toEqual([]);
      expect([...store.iterateEvents({ result: 'ABORTED' })]).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('refuses to write labels to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-labels-'));
    const station = startStation(dir, ['/nonexistent'], ['--labels', '/dev/stdout']);
    stations.push(station);
    expect(await station.exit).toBe(2);
    expect(station.stderr()).toContain('never stdout');
  });

  it('stdout closed by its reader mid-run: finishes the unit in hand, records it, and stops (no open intent)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-epipe-'));
    const pair = await openPtyPair();
    pairs.push(pair);
    sims.push(
      startSim(['--port', pair.device, '--devices', '5', '--commit-ms', '300', '--swap-gap-ms', '20']),
    );
    const station = startStation(dir, [pair.host], ['--count', '5']);
    stations.push(station);
    await station.until(() => station.lines().some((l) => l['type'] === 'device'));
    station.child.stdout?.destroy(); // the reader goes away, as `credline provision … | head -1` does
    const code = await station.exit;
    expect(code).toBe(1); // fewer devices than --count
    expect(station.stderr()).toContain('standard output was closed; stopping after the devices in hand');
    expect(station.stderr()).not.toMatch(/\n\s+at /);
    const store = openEvidenceStore(join(dir, 'evidence.db'), { readonly: true });
    try {
      expect(store.listIncomplete()).toEqual([]);
      expect(store.stats().batches[0]?.pass).toBeGreaterThanOrEqual(2);
    } finally {
      store.close();
    }
  });

  it('refuses --labels naming the evidence store, and creates no file when it refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-labels-'));
    const station = startStation(dir, ['/nonexistent'], ['--labels', join(dir, 'evidence.db')]);
    stations.push(station);
    expect(await station.exit).toBe(2);
    expect(station.stderr()).toContain('is the --db file');
    expect(existsSync(join(dir, 'evidence.db'))).toBe(false);
  });

  it('a label printer that stops reading: that unit FAILs label-failed (never PASS), the line stops with a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-labels-'));
    const fifo = join(dir, 'printer.fifo');
    execFileSync('mkfifo', [fifo]);
    // The "printer" takes one label, then goes away.
    const printer = spawn('sh', ['-c', `head -n 1 "${fifo}" > "${join(dir, 'printed.jsonl')}"`]);
    const pair = await openPtyPair();
    pairs.push(pair);
    sims.push(
      startSim(['--port', pair.device, '--devices', '3', '--commit-ms', '300', '--swap-gap-ms', '20']),
    );
    const station = startStation(dir, [pair.host], ['--count', '3', '--labels', fifo]);
    stations.push(station);
    expect(await station.exit).toBe(3);
    await new Promise((resolve) => (printer.exitCode === null ? printer.once('exit', resolve) : resolve(0)));
    const devices = station.lines().filter((l) => l['type'] === 'device');
    expect(devices.map((d) => [d['serial'], d['result'], d['reason'] ?? null])).toEqual([
      ['SIM1-000001', 'PASS', null],
      ['SIM1-000002', 'FAIL', 'label-failed'],
    ]);
    expect(station.lines().at(-1)).toMatchObject({ type: 'end', pass: 1, fail: 1 });
    expect(station.stderr()).toContain('the label printer stopped reading');
    expect(station.stderr()).not.toMatch(/\n\s+at /); // no stack trace
    const store = openEvidenceStore(join(dir, 'evidence.db'), { readonly: true });
    try {
      expect(store.findPass('SIM1-000001', 'd9c183eb84616abf')).toBeDefined();
      expect(store.findPass('SIM1-000002', 'd9c183eb84616abf')).toBeUndefined();
      const results = [...store.iterateEvents()].filter((e) => e.kind === 'RESULT');
      expect(results.map((e) => e.reasonCode ?? e.result)).toEqual(['PASS', 'label-failed']);
    } finally {
      store.close();
    }
    expect(verifyEvidence(join(dir, 'evidence.db')).ok).toBe(true);
  });
});
