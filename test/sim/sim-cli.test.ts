/**
 * `credline sim` as a firmware team or the demo runs it: in its own process, over a socat pty pair, with the station
 * on the other end. It refuses a fault it would never inject, and it exits once its last unit has left.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { CLI, startSim, type SimProcess } from '../support/sim-process.js';
import { runTestStation } from '../support/station-harness.js';

const ready = havePrerequisites('credline sim over pseudo-terminals', SOCAT);

describe('credline sim --fault', () => {
  it('refuses a kind with no @N and no --fault-rate, naming the forms that work', () => {
    const r = spawnSync(
      process.execPath,
      [CLI, 'sim', '--port', '/nonexistent/pty', '--fault', 'wrong-readback'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('fault "wrong-readback" names no unit and there is no --fault-rate');
    expect(r.stderr).toContain('wrong-readback@N');
    expect(r.stderr).toContain('wrong-readback@P:N');
    expect(r.stderr).toContain('--fault-rate R');
  });
});

describe.skipIf(!ready)('credline sim --devices N', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });

  it('exits 0 after its last unit has left the fixture', async () => {
    const pair = await openPtyPair();
    pairs.push(pair);
    const sim = startSim(['--port', pair.device, '--devices', '2', '--swap-gap-ms', '20']);
    sims.push(sim);
    const exited = new Promise<number | null>((resolve) => sim.process.once('exit', resolve));
    const run = await runTestStation({ profile: 'credline-agent-psk', ports: [pair.host], count: 2 });
    run.store.close();
    expect(run.devices.map((d) => d.result)).toEqual(['PASS', 'PASS']);
    expect(await exited).toBe(0);
    expect(sim.events.filter((e) => e.event === 'removed').map((e) => e.unit)).toEqual([1, 2]);
  });
});
