/** Gang mode: 8 ports, each its own state machine, against the simulator in another process over socat ptys. */
import { afterAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/evidence/index.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { holdable, patientProfile } from '../support/hold.js';
import { runTestStation } from '../support/station-harness.js';

const ready = havePrerequisites('gang-mode tests over pseudo-terminals', SOCAT);

describe.skipIf(!ready)('gang mode', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
    await Promise.all(pairs.map((p) => p.close()));
  });

  it('provisions 8 ports × 3 units concurrently; one slow port does not hold up the others', async () => {
    for (let i = 0; i < 8; i++) pairs.push(await openPtyPair());
    // Port 8's units take 1.5 s to commit, and its first unit is held at COMMIT until every other port has finished
    // all its units: the other ports must not wait for it.
    sims.push(
      startSim([
        ...pairs.slice(0, 7).flatMap((p) => ['--port', p.device]),
        '--devices',
        '3',
        '--swap-gap-ms',
        '20',
      ]),
    );
    sims.push(
      startSim([
        '--port',
        pairs[7]?.device ?? '',
        '--devices',
        '3',
        '--serial-prefix',
        'SLOW',
        '--commit-ms',
        '1500',
        '--swap-gap-ms',
        '20',
      ]),
    );
    const slowPort = pairs[7]?.host ?? '';
    const slow = holdable((sims[1] as SimProcess).process);
    let fastDone = 0;
    const run = await runTestStation({
      profile: patientProfile('credline-agent-psk'),
      ports: pairs.map((p) => p.host),
      count: 24,
      extra: {
        trace: (t) => {
          if (t.port === slowPort && t.direction === '>' && t.text === 'COMMIT' && fastDone < 21) slow.hold();
        },
        onEvent: (e) => {
          if (e.type === 'device' && e.port !== slowPort && ++fastDone === 21) slow.release();
        },
      },
    }).finally(() => slow.release());
    try {
      expect(run.devices).toHaveLength(24);
      expect(run.devices.every((d) => d.result === 'PASS')).toBe(true);
      for (const p of pairs) expect(run.devices.filter((d) => d.port === p.host)).toHaveLength(3);
      expect(new Set(run.devices.map((d) => d.serial)).size).toBe(24);
      // The fast ports finished all their units before the slow port finished its last one.
      const order = run.devices.map((d) => d.port);
      const lastFast = Math.max(...pairs.slice(0, 7).map((p) => order.lastIndexOf(p.host)));
      expect(order.lastIndexOf(pairs[7]?.host ?? '')).toBeGreaterThan(lastFast);
      const fingerprints = [...run.store.iterateEvents()]
        .filter((e) => e.kind === 'INTENT')
        .map((e) => e.fingerprint);
      expect(new Set(fingerprints).size).toBe(24);
      expect(verifyEvidence(run.dbFile).ok).toBe(true);
    } finally {
      run.store.close();
    }
  });
});
