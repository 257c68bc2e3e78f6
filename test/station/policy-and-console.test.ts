/**
 * Policy attempts (a rejected candidate moves to the next attempt, every rejection recorded; all rejected → FAIL
 * policy-exhausted with no intent) and the u-boot profile against the simulator's U-Boot-like console.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPasswordDeriver } from '../../src/derive/password.js';
import type { PasswordPolicy } from '../../src/policy/index.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { patientProfile } from '../support/hold.js';
import { runTestStation, TEST_VECTOR_LINE_KEY } from '../support/station-harness.js';

const ready = havePrerequisites('station policy and console tests over pseudo-terminals', SOCAT);

/** A policy that rejects the first `rejectFirst` candidates it sees for each serial. */
function rejectingPolicy(rejectFirst: number): PasswordPolicy {
  const seen = new Map<string, number>();
  return {
    check(_candidate, identity) {
      const n = seen.get(identity.serial) ?? 0;
      seen.set(identity.serial, n + 1);
      const figures = { zxcvbnScore: 4, log10Guesses: 20, entropyBits: 69.7 };
      return n < rejectFirst
        ? { accepted: false, rule: 'guessable', reason: `test rejection ${n}`, ...figures }
        : { accepted: true, ...figures };
    },
  };
}

describe.skipIf(!ready)('station: policy attempts and the U-Boot console', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });

  it('moves to the next attempt after each rejection, records each, and FAILs when all 16 are rejected', async () => {
    const pair = await openPtyPair();
    pairs.push(pair);
    sims.push(
      startSim(['--port', pair.device, '--devices', '1', '--serial-prefix', 'POL', '--swap-gap-ms', '20']),
    );
    const run = await runTestStation({
      profile: patientProfile('credline-agent-psk'),
      ports: [pair.host],
      count: 1,
      extra: { policy: rejectingPolicy(2) },
    });
    try {
      expect(run.devices).toMatchObject([{ result: 'PASS', attempt: 2 }]);
      const history = run.store.historyOf('POL1-000001');
      expect(history.rejections.map((r) => [r.attempt, r.rule])).toEqual([
        [0, 'guessable'],
        [1, 'guessable'],
      ]);
      expect(history.events.find((e) => e.kind === 'INTENT')?.attempt).toBe(2);
      const derive = createPasswordDeriver(TEST_VECTOR_LINE_KEY, {
        profileId: 'credline-agent-psk',
        alphabet: '23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ',
        length: 12,
        serialCase: 'upper',
      });
      expect(run.trace.map((t) => t.text).join('\n')).not.toContain(
        derive('POL1-000001', 2).password ?? '(none)',
      );
    } finally {
      run.store.close();
    }

    await Promise.all(sims.splice(0).map((sim) => sim.stop()));
    sims.push(
      startSim(['--port', pair.device, '--devices', '1', '--serial-prefix', 'EXH', '--swap-gap-ms', '20']),
    );
    const exhausted = await runTestStation({
      profile: patientProfile('credline-agent-psk'),
      ports: [pair.host],
      count: 1,
      extra: { policy: rejectingPolicy(99) },
    });
    try {
      expect(exhausted.devices).toMatchObject([{ result: 'FAIL', reason: 'policy-exhausted' }]);
      const history = exhausted.store.historyOf('EXH1-000001');
      expect(history.rejections).toHaveLength(16);
      // Recorded as a refusal: no attempt was accepted, no fingerprint, nothing sent to the unit.
      expect(history.events.map((e) => [e.kind, e.attempt, e.fingerprint, e.result, e.reasonCode])).toEqual([
        ['INTENT', null, null, null, null],
        ['RESULT', null, null, 'FAIL', 'policy-exhausted'],
      ]);
      expect(Math.max(...history.rejections.map((r) => r.seq))).toBeLessThan(history.events[0]?.seq ?? 0);
      expect(
        exhausted.trace.filter((t) => t.direction === '>').map((t) => t.text.split(' ')[0]),
      ).not.toContain('SETPW');
    } finally {
      exhausted.store.close();
    }
  });

  it('provisions the simulated U-Boot console with the u-boot profile (quoted values, printenv, saveenv)', async () => {
    const pair = await openPtyPair();
    pairs.push(pair);
    sims.push(
      startSim([
        '--port',
        pair.device,
        '--console',
        'u-boot',
        '--devices',
        '3',
        '--serial-prefix',
        'UB',
        '--fault',
        'commit-fail@2',
        '--swap-gap-ms',
        '20',
      ]),
    );
    const run = await runTestStation({ profile: patientProfile('u-boot'), ports: [pair.host], count: 3 });
    run.store.close();
    expect(run.devices.map((d) => [d.serial, d.result, d.reason ?? null])).toEqual([
      ['UB1-000001', 'PASS', null],
      ['UB1-000002', 'FAIL', 'commit-failed'],
      ['UB1-000003', 'PASS', null],
    ]);
    const sent = run.trace.filter((t) => t.direction === '>').map((t) => t.text);
    expect(sent).toContain("env set credline_pw '[redacted]'");
  });
});
