/**
 * A unit pulled mid-write and replaced before the station retries: the retry must not go to the newcomer (it would
 * get the first unit's password and be locked with it). The station identifies the unit again before any retry,
 * FAILs the first as `unit-changed`, tells the newcomer nothing, and provisions it as the next unit.
 *
 * The station's time limits run on a test clock: the unanswered write runs out only once the simulator has put the
 * replacement in the fixture, however slow or fast either process is (no other step waits for time to pass: each
 * unit follows the last at once).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/evidence/index.js';
import { openSerialTransport } from '../../src/transport/index.js';
import { manualClock } from '../support/manual-clock.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { runTestStation } from '../support/station-harness.js';

const ready = havePrerequisites('unit-swap test over pseudo-terminals', SOCAT);

describe.skipIf(!ready)('a unit replaced mid-write', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
    await Promise.all(pairs.map((p) => p.close()));
  });

  it('FAILs the pulled unit as unit-changed and provisions its replacement with its own password', async () => {
    pairs.push(await openPtyPair());
    const device = pairs[0]?.device ?? '';
    const sim = startSim([
      '--port',
      device,
      '--devices',
      '3',
      '--fault',
      'disconnect@2',
      '--swap-gap-ms',
      '0', // the next unit is in the fixture at once: the station's next question is its own
    ]);
    sims.push(sim);
    const clock = manualClock();
    await sim.untilEvent((e) => e.unit === 1 && e.event === 'attached'); // the station's first ID is heard
    const running = runTestStation({
      profile: 'credline-agent',
      ports: [pairs[0]?.host ?? ''],
      count: 3,
      extra: { openTransport: (path, settings) => openSerialTransport(path, settings, clock) },
    });
    await sim.untilEvent((e) => e.unit === 3 && e.event === 'attached');
    await clock.waiting(); // the station waits for unit 2's answer to SETVER, which never comes
    clock.advance(600_000);
    const run = await running;
    try {
      const verdicts = run.devices.map((d) => `${d.serial} ${d.result} ${d.reason ?? ''}`.trim());
      expect(verdicts).toEqual(['SIM1-000001 PASS', 'SIM1-000002 FAIL unit-changed', 'SIM1-000003 PASS']);
      expect(run.devices[1]?.detail).toMatch(/another unit answers \(serial SIM1-000003, nonce/);
      // Nothing reached unit 3 under unit 2's identity: after unit 2's write went unanswered (the pull), the station
      // asked ID before retrying, then identified unit 3 afresh and gave it its own write.
      const sent = run.trace.filter((t) => t.direction === '>').map((t) => t.text.split(' ')[0]);
      const secondWrite = sent.indexOf('SETVER', sent.indexOf('SETVER') + 1);
      expect(sent.slice(secondWrite, secondWrite + 4)).toEqual(['SETVER', 'ID', 'ID', 'SETVER']);
      expect(sent.filter((c) => c === 'LOCK')).toHaveLength(2);
      expect(sent.filter((c) => c === 'RESULT')).toHaveLength(2); // unit 3 was never told unit 2's FAIL
      const passes = [...run.store.iterateEvents()].filter((e) => e.result === 'PASS').map((e) => e.serial);
      expect(passes).toEqual(['SIM1-000001', 'SIM1-000003']);
      expect(verifyEvidence(run.dbFile).ok).toBe(true);
    } finally {
      run.store.close();
    }
  });
});
