/**
 * Two units reporting the same serial on two ports at once (a cloned or mis-programmed serial): the second is
 * refused as FAIL `duplicate-serial` before anything is written to it (and recorded as a refusal), the first is
 * provisioned, and the line goes on.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/evidence/index.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { holdable, patientProfile } from '../support/hold.js';
import { runTestStation } from '../support/station-harness.js';

const ready = havePrerequisites('duplicate-serial test over pseudo-terminals', SOCAT);

describe.skipIf(!ready)('the same serial on two ports at once', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
    await Promise.all(pairs.map((p) => p.close()));
  });

  it('FAILs the second unit as duplicate-serial, PASSes the first, and keeps the line running', async () => {
    for (let i = 0; i < 2; i++) pairs.push(await openPtyPair());
    // Two simulators with the same prefix and seed present the same serial. The first unit to reach COMMIT is held
    // there until the other is refused, so both are in hand at once however the two ports are scheduled.
    for (const pair of pairs) {
      sims.push(startSim(['--port', pair.device, '--devices', '1', '--swap-gap-ms', '20']));
    }
    const units = new Map(pairs.map((p, i) => [p.host, holdable((sims[i] as SimProcess).process)]));
    let refused = false;
    const run = await runTestStation({
      profile: patientProfile('credline-agent-psk'),
      ports: pairs.map((p) => p.host),
      count: 2,
      extra: {
        trace: (t) => {
          if (!refused && t.direction === '>' && t.text === 'COMMIT') units.get(t.port)?.hold();
        },
        onEvent: (e) => {
          if (e.type !== 'device' || e.reason !== 'duplicate-serial') return;
          refused = true;
          for (const unit of units.values()) unit.release();
        },
      },
    }).finally(() => units.forEach((unit) => unit.release()));
    try {
      const results = run.devices.map((d) => `${d.result}:${d.reason ?? ''}`).sort();
      expect(results).toEqual(['FAIL:duplicate-serial', 'PASS:']);
      const serial = run.devices[0]?.serial ?? '';
      expect(run.devices[1]?.serial).toBe(serial);
      const refused = run.devices.find((d) => d.result === 'FAIL');
      expect(refused?.detail).toMatch(/being provisioned on .* right now/);
      // Recorded as a refusal (no attempt, no fingerprint) between the first unit's intent and its PASS.
      const events = [...run.store.iterateEvents()].filter((e) => e.serial === serial);
      expect(events.map((e) => [e.result ?? e.kind, e.fingerprint === null])).toEqual([
        ['INTENT', false],
        ['INTENT', true],
        ['FAIL', true],
        ['PASS', false],
      ]);
      expect(refused?.evidenceSeq).toBe(events[2]?.seq);
      expect(events[2]?.reasonCode).toBe('duplicate-serial');
      expect(verifyEvidence(run.dbFile).ok).toBe(true);
    } finally {
      run.store.close();
    }
  });
});
