/**
 * Two stations sharing one evidence file (two fixtures on one PC): a station starting up closes only its own
 * intents left open by a crash, never the other station's unit in hand; and a second live station with the same
 * id is refused, since it could not tell the first one's units from a crash's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CredlineError } from '../../src/errors/credline-error.js';
import { openEvidenceStore, verifyEvidence } from '../../src/evidence/index.js';
import { acquireStationLock } from '../../src/station/station-lock.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { holdable, patientProfile } from '../support/hold.js';
import { runTestStation } from '../support/station-harness.js';

const ready = havePrerequisites('shared evidence file test over pseudo-terminals', SOCAT);

describe('the station lock', () => {
  it('refuses a live owner, takes over a dead one, and is released', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'credline-lock-')), 'line.db');
    const lock = `${db}.station-bench_1.lock`;
    const sleeper = spawn('sleep', ['infinity']);
    try {
      writeFileSync(lock, `${sleeper.pid}\n`);
      expect(() => acquireStationLock(db, 'bench 1')).toThrow(CredlineError);
      expect(() => acquireStationLock(db, 'bench 1')).toThrow(/already running on .* \(pid \d+\)/);
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.once('exit', resolve));
    }
    const release = acquireStationLock(db, 'bench 1'); // the owner is gone: taken over
    expect(() => acquireStationLock(db, 'bench 2')).not.toThrow(); // another id is another lock
    release();
    acquireStationLock(db, 'bench 1')();
  });
});

describe.skipIf(!ready)('two stations on one evidence file', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
    await Promise.all(pairs.map((p) => p.close()));
  });

  it('the second station starting up leaves the first one’s unit in hand alone: both PASS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-shared-'));
    for (let i = 0; i < 2; i++) pairs.push(await openPtyPair());
    const [a, b] = pairs as [PtyPair, PtyPair];
    const simA = startSim(['--port', a.device, '--devices', '1', '--serial-prefix', 'STA']);
    sims.push(simA);
    // Station A's unit is held at COMMIT (its intent open) until station B has started up and finished.
    const unitA = holdable(simA.process);
    let inHand: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (inHand = resolve));
    const first = runTestStation({
      profile: patientProfile('credline-agent-psk'),
      ports: [a.host],
      count: 1,
      dir,
      extra: {
        trace: (t) => {
          if (t.direction !== '>' || t.text !== 'COMMIT') return;
          unitA.hold();
          inHand?.();
        },
      },
    });
    await held;
    const probe = openEvidenceStore(join(dir, 'evidence.db'), { create: true });
    expect(probe.listIncomplete().map((e) => e.serial)).toEqual(['STA1-000001']);
    probe.close();
    sims.push(
      startSim(['--port', b.device, '--devices', '1', '--serial-prefix', 'STB', '--swap-gap-ms', '20']),
    );
    const second = await runTestStation({
      profile: 'credline-agent-psk',
      ports: [b.host],
      count: 1,
      dir,
      extra: { stationId: 'second-station' },
    }).finally(() => unitA.release());
    const firstRun = await first;
    try {
      expect(firstRun.devices.map((d) => [d.serial, d.result])).toEqual([['STA1-000001', 'PASS']]);
      expect(second.devices.map((d) => [d.serial, d.result])).toEqual([['STB1-000001', 'PASS']]);
      const results = [...second.store.iterateEvents()].filter((e) => e.kind === 'RESULT');
      expect(results.map((e) => [e.serial, e.result, e.stationId]).sort()).toEqual([
        ['STA1-000001', 'PASS', 'test-station'],
        ['STB1-000001', 'PASS', 'second-station'],
      ]);
    } finally {
      firstRun.store.close();
      second.store.close();
    }
    expect(verifyEvidence(join(dir, 'evidence.db')).ok).toBe(true);
  });
});
