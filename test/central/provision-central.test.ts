/**
 * `provision --central`: two station processes (simulators over socat ptys) push to one central store while they
 * run. The second starts while the server is down: its line goes on, says so, and its backlog drains once the
 * server is back; both stations' records and signed heads end up stored, and the serials both lines PASSed are
 * named as conflicts. Event-driven: the test waits for what a process prints, never for time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralReader, registerStation } from '../../src/central/index.js';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { havePostgresServer } from '../support/postgres.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { CLI, startSim, type SimProcess } from '../support/sim-process.js';
import { startCentral, type CentralFixture } from './helpers.js';

const ready =
  havePostgresServer('provision --central tests') &&
  havePrerequisites('provision --central over ptys', SOCAT);
const FIXTURES = join(__dirname, '../fixtures');
/** The public key of the fixture station key (test/fixtures/test-station-key.json). */
const FIXTURE_STATION_PUBLIC_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

interface Station {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves when stderr holds `text`. */
  says: (text: string) => Promise<void>;
  exit: Promise<number | null>;
}

function startStation(
  db: string,
  stationId: string,
  port: string,
  env: Record<string, string>,
  extra: string[] = ['--count', '3'],
): Station {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'provision',
      ...['--profile', 'credline-agent-psk', '--key', join(FIXTURES, 'test-vector-line-key.ckey')],
      ...['--passphrase-file', join(FIXTURES, 'test-vector-passphrase.txt'), '--allow-test-key'],
      ...['--station-key', join(FIXTURES, 'test-station-key.json')],
      ...['--station-passphrase-file', join(FIXTURES, 'test-station-key-passphrase.txt')],
      ...['--batch', 'B-CENTRAL', '--support-end', '2031-12-31', '--db', db, '--station', stationId],
      ...['--port', port, '--format', 'jsonl', '--central-env', 'CENTRAL_URL', ...extra],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } },
  );
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const w of waiters.filter((x) => err.includes(x.text))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  return {
    child,
    stderr: () => err,
    says: (text) =>
      new Promise((resolve) => {
        if (err.includes(text)) resolve();
        else waiters.push({ text, resolve });
      }),
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
}

/** Resolves once `file` holds `text` (a trace line the station writes), without polling on time. */
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

const headOf = (db: string): number => {
  const store = openEvidenceStore(db, { readonly: true });
  try {
    return store.head().seq;
  } finally {
    store.close();
  }
};

describe.skipIf(!ready)('provision --central', () => {
  let central: CentralFixture;
  let home: string;
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  const stations: Station[] = [];

  beforeAll(async () => {
    central = await startCentral();
    for (const stationId of ['pline1', 'pline2'])
      await registerStation(central.owner, { stationId, publicKey: FIXTURE_STATION_PUBLIC_KEY });
    home = mkdtempSync(join(tmpdir(), 'credline-provision-central-'));
  });
  afterAll(async () => {
    for (const s of stations) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(sims.map((s) => s.stop()));
    await Promise.all(pairs.map((p) => p.close()));
    central?.cluster.destroy();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('pushes while the line runs, goes on while the store is down, and catches up', async () => {
    const env = central.env('line1');
    const dbs = [join(home, 'pline1.db'), join(home, 'pline2.db')];
    for (let i = 0; i < 2; i++) pairs.push(await openPtyPair());
    const [one, two] = pairs as [PtyPair, PtyPair];

    sims.push(startSim(['--port', one.device, '--devices', '3']));
    const first = startStation(dbs[0] as string, 'pline1', one.host, env);
    stations.push(first);
    expect(await first.exit).toBe(0);
    expect(first.stderr()).toMatch(
      /central store postgresql:\/\/line1@[^ ]+: station pline1 stored up to seq \d+; backlog 0\n/,
    );

    central.cluster.stop('fast');
    const second = startStation(dbs[1] as string, 'pline2', two.host, env);
    stations.push(second);
    await second.says('central store unreachable');
    central.cluster.start();
    sims.push(startSim(['--port', two.device, '--devices', '3']));
    expect(await second.exit).toBe(0);
    expect(second.stderr()).toMatch(
      /central store postgresql:\/\/line1@[^ ]+ reachable again; backlog \d+ record/,
    );
    expect(second.stderr()).toMatch(/station pline2 stored up to seq \d+; backlog 0\n/);

    const reader = await CentralReader.open(central.reader);
    try {
      const stats = await reader.stats();
      for (const [i, stationId] of ['pline1', 'pline2'].entries())
        expect(stats.find((s) => s.stationId === stationId)).toMatchObject({
          headSeq: headOf(dbs[i] as string),
          checkpoints: 1,
          pass: 3,
        });
      const conflicts = await reader.conflicts();
      expect(conflicts.map((c) => [c.kind, c.first.stationId, c.second.stationId])).toEqual([
        ['serial', 'pline1', 'pline2'],
        ['serial', 'pline1', 'pline2'],
        ['serial', 'pline1', 'pline2'],
      ]);
      expect((await reader.verify()).problems).toEqual([]);
    } finally {
      await reader.close();
    }
    for (const s of stations) expect(s.stderr()).not.toContain('line1-test-pw');
  });

  it('in reserve mode refuses a serial another station holds before anything is written to the unit', async () => {
    const env = central.env('line2');
    for (const stationId of ['pline3', 'pline4'])
      await registerStation(central.owner, { stationId, publicKey: FIXTURE_STATION_PUBLIC_KEY });
    const dbs = [join(home, 'pline3.db'), join(home, 'pline4.db')];
    for (let i = 0; i < 2; i++) pairs.push(await openPtyPair());
    const [three, four] = pairs.slice(-2) as [PtyPair, PtyPair];
    sims.push(startSim(['--port', three.device, '--devices', '2']));
    const holder = startStation(dbs[0] as string, 'pline3', three.host, env, [
      ...['--count', '2', '--central-mode', 'reserve'],
    ]);
    stations.push(holder);
    expect(await holder.exit).toBe(0);

    sims.push(startSim(['--port', four.device, '--devices', '1']));
    const second = startStation(dbs[1] as string, 'pline4', four.host, env, [
      ...['--count', '1', '--central-mode', 'reserve'],
    ]);
    stations.push(second);
    expect(await second.exit).toBe(1);
    const store = openEvidenceStore(dbs[1] as string, { readonly: true });
    try {
      // A refusal: no password was chosen for the unit (no fingerprint, no attempt), so nothing reached it.
      const events = store.historyOf('SIM1-000001').events;
      expect(events.map((e) => [e.kind, e.attempt, e.fingerprint, e.result, e.reasonCode])).toEqual([
        ['INTENT', null, null, null, null],
        ['RESULT', null, null, 'FAIL', 'reserved-elsewhere'],
      ]);
      expect(events[1]?.reasonText).toMatch(/reserved by station pline3 \(batch B-CENTRAL\)/);
    } finally {
      store.close();
    }

    central.cluster.stop('fast');
    const blind = startStation(join(home, 'pline5.db'), 'pline3', four.host, env, [
      ...['--count', '1', '--central-mode', 'reserve'],
    ]);
    stations.push(blind);
    expect(await blind.exit).toBe(3);
    expect(blind.stderr()).toMatch(/^credline: postgresql:\/\/line2@[^\n]+\n$/);
    central.cluster.start();
  });

  it('in reserve mode stops the port when the store goes away mid-run, PASSes no unit it could not reserve, and a new run goes on', async () => {
    const env = central.env('line2');
    await registerStation(central.owner, { stationId: 'pline6', publicKey: FIXTURE_STATION_PUBLIC_KEY });
    const db = join(home, 'pline6.db');
    const trace = join(home, 'pline6.trace');
    // A commit that never ends on its own (the unit in hand is held there until the simulator gets SIGUSR2).
    const patient = join(home, 'patient.json');
    const profile = JSON.parse(
      readFileSync(join(__dirname, '../../device-profiles/credline-agent-psk.json'), 'utf8'),
    ) as { dialogue: { commit: Array<{ timeoutMs: number }> } };
    for (const step of profile.dialogue.commit) step.timeoutMs = 600_000;
    writeFileSync(patient, JSON.stringify(profile));
    const pair = await openPtyPair();
    pairs.push(pair);
    const sim = startSim([
      '--port',
      pair.device,
      '--devices',
      '3',
      '--serial-prefix',
      'RS',
      '--commit-ms',
      '600000',
    ]);
    sims.push(sim);
    const station = startStation(db, 'pline6', pair.host, env, [
      ...['--count', '3', '--central-mode', 'reserve', '--profile', patient, '--trace', trace],
    ]);
    stations.push(station);

    // Unit 1 was reserved before it was touched; the store goes away while its flash write runs.
    await untilFileContains(trace, `${pair.host} > COMMIT`);
    central.cluster.stop('fast');
    sim.process.kill('SIGUSR2');
    expect(await station.exit).toBe(3);
    expect(station.stderr().trimEnd().split('\n').at(-1)).toMatch(
      /^credline: central store postgresql:\/\/line2@[^ ]+ could not reserve serial RS1-000002 on \/dev\/pts\/\d+ \(.+\): the line stops rather than go on without reservations; nothing was written to the unit\. Restore the connection, then run again$/,
    );

    const local = openEvidenceStore(db, { readonly: true });
    let localHead: number;
    try {
      expect(local.historyOf('RS1-000001').events.map((e) => [e.kind, e.result])).toEqual([
        ['INTENT', null],
        ['RESULT', 'PASS'],
      ]);
      // The unit in hand when the store was found gone: FAILed before a password was chosen for it or written.
      const held = local.historyOf('RS1-000002').events;
      expect(held.map((e) => [e.kind, e.attempt, e.fingerprint, e.result, e.reasonCode])).toEqual([
        ['INTENT', null, null, null, null],
        ['RESULT', null, null, 'FAIL', 'reserve-failed'],
      ]);
      expect(local.historyOf('RS1-000003').events).toEqual([]); // never touched
      localHead = local.head().seq;
    } finally {
      local.close();
    }

    // The store back: a new run goes on (new units), and what the first run could not push arrives with it.
    central.cluster.start();
    await sim.stop();
    const next = startSim(['--port', pair.device, '--devices', '1', '--serial-prefix', 'RT']);
    sims.push(next);
    const again = startStation(db, 'pline6', pair.host, env, [
      ...['--count', '1', '--central-mode', 'reserve', '--profile', patient],
    ]);
    stations.push(again);
    expect(await again.exit).toBe(0);
    expect(again.stderr()).toMatch(/station pline6 stored up to seq \d+; backlog 0\n/);
    const reader = await CentralReader.open(central.reader);
    try {
      const stats = (await reader.stats()).find((s) => s.stationId === 'pline6');
      expect(stats?.headSeq).toBe(headOf(db));
      expect(stats?.headSeq).toBeGreaterThan(localHead);
      expect(stats).toMatchObject({ pass: 2, fail: 1 });
      const held = await reader.query<{ serial: string }>(
        `SELECT serial FROM credline.serial_reservations WHERE origin_station = 'pline6' ORDER BY serial`,
      );
      expect(held.map((r) => r.serial)).toEqual(['RS1-000001', 'RT1-000001']);
      expect((await reader.verify()).problems).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});
