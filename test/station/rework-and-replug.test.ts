/** Re-provisioning (rework) and a port that vanishes and comes back (USB unplug). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { holdable, patientProfile } from '../support/hold.js';
import { runTestStation } from '../support/station-harness.js';

const ready = havePrerequisites('rework and replug tests over pseudo-terminals', SOCAT);

describe.skipIf(!ready)('rework and replug', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });

  it('refuses a unit already PASS under this key unless --reprovision, and records the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-rework-'));
    const pair = await openPtyPair();
    pairs.push(pair);
    const serve = (): SimProcess => {
      const sim = startSim([
        '--port',
        pair.device,
        '--devices',
        '1',
        '--serial-prefix',
        'RW',
        '--swap-gap-ms',
        '20',
      ]);
      sims.push(sim);
      return sim;
    };
    let sim = serve();
    const first = await runTestStation({
      profile: patientProfile('credline-agent-psk'),
      ports: [pair.host],
      count: 1,
      dir,
    });
    first.store.close();
    expect(first.devices.map((d) => d.result)).toEqual(['PASS']);
    await sim.stop();

    sim = serve();
    const again = await runTestStation({
      profile: patientProfile('credline-agent-psk'),
      ports: [pair.host],
      count: 1,
      dir,
    });
    again.store.close();
    expect(again.devices).toMatchObject([
      { result: 'FAIL', reason: 'already-provisioned', serial: 'RW1-000001' },
    ]);
    await sim.stop();

    sim = serve();
    const rework = await runTestStation({
      profile: patientProfile('credline-agent-psk'),
      ports: [pair.host],
      count: 1,
      dir,
      reprovision: { reason: 'RMA 1234: board swapped', serials: new Set(['RW1-000001']) },
    });
    try {
      expect(rework.devices).toMatchObject([{ result: 'PASS', reprovisioned: true }]);
      const events = rework.store.historyOf('RW1-000001').events;
      // PASS; the refused second presentation (no attempt, no fingerprint); the deliberate re-provision.
      expect(events.map((e) => [e.kind, e.result, e.reasonCode, e.reprovisionReason])).toEqual([
        ['INTENT', null, null, null],
        ['RESULT', 'PASS', null, null],
        ['INTENT', null, null, null],
        ['RESULT', 'FAIL', 'already-provisioned', null],
        ['INTENT', null, null, 'RMA 1234: board swapped'],
        ['RESULT', 'PASS', null, 'RMA 1234: board swapped'],
      ]);
      expect(events[2]?.fingerprint).toBeNull();
    } finally {
      rework.store.close();
    }
  });

  it('reports a port that vanishes, re-opens it when it returns, and goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-replug-'));
    const links = { host: join(dir, 'ttyHOST'), device: join(dir, 'ttyDEV') };
    const first = await openPtyPair(links);
    const sim1 = startSim([
      '--port',
      links.device,
      '--devices',
      '1',
      '--serial-prefix',
      'UA',
      '--swap-gap-ms',
      '20',
    ]);
    sims.push(sim1);
    const events: string[] = [];
    let unplugged: (() => void) | undefined;
    const lost = new Promise<void>((resolve) => (unplugged = resolve));
    const running = runTestStation({
      profile: 'credline-agent-psk',
      ports: [links.host],
      count: 2,
      dir,
      extra: {
        onEvent: (e) => {
          events.push(
            e.type === 'port' ? `port ${e.state}` : e.type === 'device' ? `${e.result} ${e.serial}` : e.type,
          );
          if (e.type === 'port' && e.state === 'lost') unplugged?.();
          if (e.type === 'device' && e.result === 'PASS' && e.serial === 'UA1-000001') {
            // Unplug: the adapter (socat) and the unit go away; plug a new one in once the station saw it go.
            void (async () => {
              await sim1.stop();
              await first.close();
              await lost;
              pairs.push(await openPtyPair(links));
              sims.push(
                startSim([
                  '--port',
                  links.device,
                  '--devices',
                  '1',
                  '--serial-prefix',
                  'UB',
                  '--swap-gap-ms',
                  '20',
                ]),
              );
            })();
          }
        },
      },
    });
    const run = await running;
    run.store.close();
    expect(events[0]).toBe('port open');
    expect(events).toContain('PASS UA1-000001');
    expect(events).toContain('port lost');
    expect(events).toContain('port back');
    expect(events.at(-1)).toBe('PASS UB1-000001');
  });

  it('a port that vanishes mid-device FAILs that unit as disconnected (recorded), never PASS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-yank-'));
    const links = { host: join(dir, 'ttyHOST'), device: join(dir, 'ttyDEV') };
    const pair = await openPtyPair(links);
    pairs.push(pair);
    const sim = startSim(['--port', links.device, '--devices', '1', '--serial-prefix', 'YANK']);
    sims.push(sim);
    // The unit never answers COMMIT: its simulator is stopped before the command goes out, then the adapter is pulled.
    const unit = holdable(sim.process);
    let yanked = false;
    const run = await runTestStation({
      profile: 'credline-agent-psk',
      ports: [links.host],
      count: 1,
      dir,
      extra: {
        trace: (t) => {
          if (!yanked && t.direction === '>' && t.text === 'COMMIT') {
            yanked = true;
            unit.hold();
            void pair.close(); // the USB adapter is pulled while the unit commits
          }
        },
      },
    }).finally(() => unit.release());
    try {
      // Normally `disconnected`; on a heavily loaded machine the hang-up can be seen after the step's timeout.
      expect(run.devices).toMatchObject([{ result: 'FAIL', serial: 'YANK1-000001' }]);
      const reason = run.devices[0]?.reason ?? '';
      expect(['disconnected', 'timeout']).toContain(reason);
      const events = run.store.historyOf('YANK1-000001').events;
      expect(events.map((e) => [e.kind, e.result, e.reasonCode])).toEqual([
        ['INTENT', null, null],
        ['RESULT', 'FAIL', reason],
      ]);
    } finally {
      run.store.close();
    }
  });
});
