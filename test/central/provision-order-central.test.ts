/**
 * A work order across two stations through the central store's reserve mode, as operators run it: two `credline
 * provision` processes, each with the simulator in its own process over socat ptys, one throwaway PostgreSQL
 * cluster. An order of 10 with 7 units at each station makes exactly 10 PASS across both, the other 4
 * `order-exhausted`; a station started again finds the order's count in the central store and refuses its next unit.
 * `--order` with a central store in push mode is refused before anything is opened. Event-driven: the test waits
 * for processes to end, never for time.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStation } from '../../src/central/index.js';
import { verifyEvidence } from '../../src/evidence/index.js';
import { createSignedOrder, formatDocument, readSerialList } from '../../src/orders/index.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { runCli } from '../cli/run-cli.js';
import { OWNER_SEED } from '../orders/fixtures.js';
import { havePostgresServer } from '../support/postgres.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { FIXTURES, startProvision, type ProvisionProcess } from '../support/provision-process.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';
import { startCentral, type CentralFixture } from './helpers.js';

const ready =
  havePostgresServer('work orders across stations') &&
  havePrerequisites('work orders across stations over ptys', SOCAT);
const PROFILE = 'credline-agent-assign';
/** The public key of the fixture station key (test/fixtures/test-station-key.json). */
const FIXTURE_STATION_PUBLIC_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const STATIONS = ['oline1', 'oline2'] as const;
const serialsOf = (prefix: string): string[] =>
  Array.from({ length: 8 }, (_, i) => `${prefix}1-${String(i + 1).padStart(6, '0')}`);

describe.skipIf(!ready)('a work order across stations (reserve mode)', () => {
  let central: CentralFixture;
  let home: string;
  let orderFile: string;
  let signer: string;
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  const stations: ProvisionProcess[] = [];

  beforeAll(async () => {
    central = await startCentral();
    for (const stationId of STATIONS)
      await registerStation(central.owner, { stationId, publicKey: FIXTURE_STATION_PUBLIC_KEY });
    process.env['CENTRAL_URL'] = central.env('line1')['CENTRAL_URL'];
    home = mkdtempSync(join(tmpdir(), 'credline-order-central-'));
    // 16 serials (8 per station's simulator), 10 units ordered.
    writeFileSync(join(home, 'serials.txt'), [...serialsOf('KA'), ...serialsOf('KB')].join('\n') + '\n');
    const list = readSerialList(join(home, 'serials.txt'));
    const signed = createSignedOrder(
      {
        orderId: 'WO-X',
        product: 'Acme Cam 2',
        profileId: PROFILE,
        profileHash: loadProfile(PROFILE).hash,
        lineKeyId: 'd9c183eb84616abf',
        serials: { kind: 'list', sha256: list.sha256, count: list.serials.length },
        quantity: 10,
        validFrom: '2026-01-01T00:00:00Z',
        validUntil: '2099-01-01T00:00:00Z',
        stations: [...STATIONS],
        issuedAt: '2026-01-01T00:00:00Z',
      },
      OWNER_SEED,
    );
    signer = signed.signature.keyId;
    orderFile = join(home, 'WO-X.order.json');
    writeFileSync(orderFile, formatDocument(signed));
  });
  afterAll(async () => {
    delete process.env['CENTRAL_URL'];
    for (const s of stations) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(sims.map((s) => s.stop()));
    await Promise.all(pairs.map((p) => p.close()));
    central?.cluster.destroy();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  function provision(stationId: string, port: string, extra: string[]): ProvisionProcess {
    const p = startProvision([
      ...['--profile', PROFILE, '--batch', 'WO-X-B1', '--support-end', '2031-12-31'],
      ...['--db', join(home, `${stationId}.db`), '--station', stationId, '--port', port],
      ...['--station-key', join(FIXTURES, 'test-station-key.json')],
      ...['--station-passphrase-file', join(FIXTURES, 'test-station-key-passphrase.txt')],
      ...['--order', orderFile, '--order-signer', signer, '--order-serials', join(home, 'serials.txt')],
      ...['--central-env', 'CENTRAL_URL', ...extra],
    ]);
    stations.push(p);
    return p;
  }

  it('makes exactly 10 PASS across two stations with 7 units each, and the count survives a restart', async () => {
    const ports = await Promise.all(STATIONS.map(() => openPtyPair()));
    pairs.push(...ports);
    const [one, two] = ports as [PtyPair, PtyPair];
    sims.push(startSim(['--port', one.device, '--devices', '8', '--serial-prefix', 'KA']));
    sims.push(startSim(['--port', two.device, '--devices', '8', '--serial-prefix', 'KB']));
    const reserve = ['--central-mode', 'reserve', '--count', '7'];
    const runs = [provision('oline1', one.host, reserve), provision('oline2', two.host, reserve)];
    const codes = await Promise.all(runs.map((r) => r.exit));
    const devices = runs.flatMap((r) => r.devices());
    const pass = devices.filter((d) => d['result'] === 'PASS');
    const refused = devices.filter((d) => d['result'] !== 'PASS');
    expect(devices).toHaveLength(14);
    expect(pass).toHaveLength(10);
    expect(new Set(pass.map((d) => d['serial'])).size).toBe(10);
    expect(refused.map((d) => [d['result'], d['reason']])).toEqual(
      Array(4).fill(['FAIL', 'order-exhausted']),
    );
    expect(codes).toEqual(
      codes.map((_, i) => (runs[i]?.devices().every((d) => d['result'] === 'PASS') ? 0 : 1)),
    );

    const reports: Array<Record<string, unknown>> = [];
    for (const [i, stationId] of STATIONS.entries()) {
      const run = runs[i] as ProvisionProcess;
      const made = run.devices().filter((d) => d['result'] === 'PASS').length;
      const reportFile = join(home, `WO-X-${stationId}.report.json`);
      const { report } = JSON.parse(readFileSync(reportFile, 'utf8')) as { report: Record<string, unknown> };
      reports.push(report);
      // The station's own figures, and the order across both stations as the central store had it then.
      expect(report).toMatchObject({ pass: made, refused: 7 - made, across: { stations: [...STATIONS] } });
      expect(report['across']).toMatchObject({ store: expect.stringMatching(/^postgresql:\/\/line1@/) });
      expect(run.stderr()).toContain('work order WO-X across oline1, oline2 (postgresql://line1@');
      const db = join(home, `${stationId}.db`);
      const verified = runCli(['order', 'verify-report', reportFile, '--db', db]);
      expect(verified.stdout).toMatch(
        /the order across oline1, oline2 \(postgresql:\/\/line1@[^)]+, when the report was made\): \d+ PASS of 10/,
      );
      expect(verified.status).toBe(0);
      // A store that answered from the start was never unreachable: nothing is said about it coming back.
      expect(run.stderr()).not.toContain('reachable again');
      expect(verifyEvidence(db).problems).toEqual([]);
      expect(run.stderr()).not.toContain('line1-test-pw');
    }
    // The report made last saw both stations' units settled.
    const last = reports.reduce((a, b) => (String(a['generatedAt']) > String(b['generatedAt']) ? a : b));
    expect(last['across']).toMatchObject({
      pass: 10,
      fail: 0,
      spent: 0,
      refused: 4,
      reserved: 0,
      remaining: 0,
    });

    // Started again with the next unit in its fixture: the central count says the order has its 10.
    const again = provision('oline1', one.host, ['--central-mode', 'reserve', '--count', '1']);
    expect(await again.exit).toBe(1);
    expect(again.stderr()).toContain('work order WO-X at postgresql://line1@');
    expect(again.stderr()).toMatch(/10 of 10 PASS so far across 2 station\(s\), 0 remaining/);
    expect(again.devices().map((d) => [d['serial'], d['reason']])).toEqual([
      ['KA1-000008', 'order-exhausted'],
    ]);
    const owner = central.cluster.psql(
      `SELECT count(*) FROM credline.order_settlements WHERE order_id = 'WO-X' AND outcome = 'pass'`,
      'credline',
    );
    expect(owner).toMatch(/\b10\b/);
  });

  it('refuses --order with a central store in push mode before anything is opened', () => {
    const db = join(home, 'push.db');
    const result = runCli(
      [
        'provision',
        ...['--profile', PROFILE, '--key', join(FIXTURES, 'test-vector-line-key.ckey'), '--allow-test-key'],
        ...['--passphrase-file', join(FIXTURES, 'test-vector-passphrase.txt')],
        ...['--batch', 'B', '--db', db, '--station', 'oline1', '--port', '/dev/credline-no-such-port'],
        ...['--station-key', join(FIXTURES, 'test-station-key.json')],
        ...['--order', orderFile, '--order-signer', signer, '--central-env', 'CENTRAL_URL'],
      ],
      { env: { CENTRAL_URL: central.env('line1')['CENTRAL_URL'] as string } },
    );
    expect(result.stderr).toBe(
      'credline: --order with a central store needs --central-mode reserve: the order is then counted centrally, ' +
        'shared by every station (push mode only finds afterwards what was made)\n',
    );
    expect(result.status).toBe(2);
    expect(existsSync(db)).toBe(false);
  });
});
