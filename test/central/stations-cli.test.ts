/**
 * The user's path on the command line: two simulated stations (simulators over real pseudo-terminals, presenting
 * the same serials) provision, `credline sync` pushes both files, `central conflicts` names the serials PASSed at
 * both, `central verify` checks the record; a password never rides in argv or comes out in output.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTRAL_LATEST_VERSION } from '../../src/central/index.js';
import { credline } from '../evidence/cli-run.js';
import { havePostgresServer } from '../support/postgres.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { runTestStation } from '../support/station-harness.js';
import { publicKeyOf, seedOf, startCentral, tempDir, type CentralFixture } from './helpers.js';

const ready =
  havePostgresServer('central CLI tests') && havePrerequisites('central CLI tests over ptys', SOCAT);

describe.skipIf(!ready)('two simulated stations, one central record', () => {
  let central: CentralFixture;
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
    await Promise.all(pairs.map((p) => p.close()));
    central?.cluster.destroy();
  });

  it('syncs both, names the duplicate serials, verifies, and keeps passwords out of argv and output', async () => {
    const files: string[] = [];
    for (const stationId of ['line1', 'line2']) {
      const pair = await openPtyPair();
      pairs.push(pair);
      sims.push(startSim(['--port', pair.device, '--devices', '2']));
      const run = await runTestStation({
        profile: 'credline-agent-psk',
        ports: [pair.host],
        count: 2,
        dir: tempDir(),
        batchId: 'B-SIM',
        extra: { stationId },
      });
      expect(run.devices.map((d) => d.result)).toEqual(['PASS', 'PASS']);
      run.store.close();
      files.push(run.dbFile);
    }
    const outputs: string[] = [];
    const run = (
      args: string[],
      who: Parameters<CentralFixture['env']>[0],
      extraEnv: Record<string, string> = {},
    ) => {
      const result = credline(args, { ...central.env(who), ...extraEnv });
      outputs.push(result.stdout, result.stderr);
      return result;
    };

    const init = run(['central', 'init', '--central', central.cluster.url('credline')], 'owner', {
      PGPASSWORD: central.cluster.adminPassword,
    });
    expect(init.stderr).toBe('');
    const latest = CENTRAL_LATEST_VERSION;
    expect(init.stdout).toContain(`central schema at version ${latest} (was ${latest})`);
    const add = run(
      [
        'central',
        'station',
        'add',
        '--central-env',
        'CENTRAL_URL',
        '--station-id',
        'line3',
        '--public-key',
        publicKeyOf(seedOf('line3')),
      ],
      'owner',
    );
    expect(add.stdout).toMatch(/registered: station line3/);

    for (const [i, file] of files.entries()) {
      const who = i === 0 ? 'line1' : 'line2';
      const sync = run(['sync', '--db', file, '--central-env', 'CENTRAL_URL'], who);
      expect(sync.stderr).toBe('');
      expect(sync.status).toBe(0);
      expect(sync.stdout).toMatch(new RegExp(`station ${who}: pushed \\d+ records`));
    }
    const conflicts = run(['central', 'conflicts', '--central-env', 'CENTRAL_URL'], 'auditor');
    expect(conflicts.status).toBe(1);
    expect(conflicts.stdout.trim().split('\n')).toHaveLength(2);
    expect(conflicts.stdout).toMatch(
      /CONFLICT serial \S+ \(profile credline-agent-psk\) PASSed at two stations: station line1 batch B-SIM at \S+ \(seq \d+\); station line2 batch B-SIM/,
    );
    const verify = run(['central', 'verify', '--central-env', 'CENTRAL_URL'], 'auditor');
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/^OK: every chain links and hashes/m);
    const findings = run(['central', 'findings', '--central-env', 'CENTRAL_URL'], 'auditor');
    expect([findings.status, findings.stdout]).toEqual([0, 'no findings\n']);
    const again = run(
      ['sync', '--db', files[0] as string, '--central-env', 'CENTRAL_URL', '--full'],
      'line1',
    );
    expect(again.stdout).toMatch(
      /pushed 0 records and 0 checkpoints, compared \d+ stored records: all equal/,
    );
    const out = join(tempDir(), 'B-SIM.csv');
    const exported = run(
      ['central', 'export', '--central-env', 'CENTRAL_URL', '--batch', 'B-SIM', '--out', out],
      'auditor',
    );
    expect(exported.stdout).toMatch(/from 2 station\(s\)/);

    const inArgv = run(
      ['sync', '--db', files[0] as string, '--central', central.env('line1')['CENTRAL_URL'] as string],
      'line1',
    );
    expect(inArgv.status).toBe(2);
    expect(inArgv.stderr).toMatch(/the URL carries a password/);
    const wrong = run(['central', 'stats', '--central', central.cluster.url('credline', 'line1')], 'line1', {
      PGPASSWORD: 'not-the-password',
    });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/authentication failed/);
    const down = credline(['central', 'stats', '--central', 'postgresql://x@127.0.0.1:1/credline'], {
      PGPASSWORD: 'p',
    });
    expect(down.status).toBe(3);

    for (const secret of ['line1-test-pw', 'line2-test-pw', 'auditor-test-pw', central.cluster.adminPassword])
      for (const text of outputs) expect(text.includes(secret)).toBe(false);
  });
});
