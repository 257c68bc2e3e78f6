/**
 * `credline provision --order` as an operator runs it: provision in its own process, the simulator in another,
 * socat ptys between them, a work order signed by the product owner's key. Only the order's serials are written,
 * never more PASS units than its quantity (also with two ports racing for the last slots), a unit that arrives blank
 * gets the next unused order serial, and the station's signed order report matches the evidence figure for figure.
 * An order that does not fit the run is refused before anything is opened.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/evidence/index.js';
import { createSignedOrder, formatDocument, readSerialList, type WorkOrder } from '../../src/orders/index.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { runCli } from '../cli/run-cli.js';
import { OWNER_SEED } from '../orders/fixtures.js';
import { DEMO_PRODUCT_PATH } from '../compliance/helpers.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { FIXTURES, startProvision, type ProvisionProcess } from '../support/provision-process.js';
import { startSim, type SimProcess } from '../support/sim-process.js';

const ready = havePrerequisites('provision under a work order over pseudo-terminals', SOCAT);
const PROFILE = 'credline-agent-assign';
const STATION_KEY = [
  '--station-key',
  join(FIXTURES, 'test-station-key.json'),
  '--station-passphrase-file',
  join(FIXTURES, 'test-station-key-passphrase.txt'),
];

describe.skipIf(!ready)('credline provision --order', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  const stations: ProvisionProcess[] = [];
  let owner: string;
  let profileHash: string;

  beforeAll(() => {
    profileHash = loadProfile(PROFILE).hash;
    owner = createSignedOrder(orderOf({}), OWNER_SEED).signature.keyId;
  });
  afterEach(async () => {
    for (const s of stations.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });

  function orderOf(over: Partial<WorkOrder>): WorkOrder {
    return {
      orderId: 'WO-7',
      product: 'Acme Cam 2',
      profileId: PROFILE,
      profileHash,
      lineKeyId: 'd9c183eb84616abf',
      serials: { kind: 'range', prefix: 'KL1-', width: 6, first: 1, last: 10 },
      quantity: 10,
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: '2099-01-01T00:00:00Z',
      stations: ['line1'],
      issuedAt: '2026-01-01T00:00:00Z',
      ...over,
    };
  }

  function writeOrder(dir: string, over: Partial<WorkOrder> = {}): string {
    const order = orderOf(over);
    const file = join(dir, `order-${Math.random().toString(16).slice(2)}.json`);
    writeFileSync(file, formatDocument(createSignedOrder(order, OWNER_SEED)));
    return file;
  }

  async function simulate(units: number, extra: string[] = [], ports = 1): Promise<PtyPair[]> {
    const opened = await Promise.all(Array.from({ length: ports }, () => openPtyPair()));
    pairs.push(...opened);
    sims.push(
      startSim([
        ...opened.flatMap((pair) => ['--port', pair.device]),
        '--devices',
        String(units),
        '--serial-prefix',
        'KL',
        '--swap-gap-ms',
        '20',
        ...extra,
      ]),
    );
    return opened;
  }

  function provision(dir: string, ports: string[], args: string[]): ProvisionProcess {
    const p = startProvision([
      '--profile',
      PROFILE,
      '--batch',
      'WO-B1',
      '--support-end',
      '2031-12-31',
      '--db',
      join(dir, 'evidence.db'),
      '--station',
      'line1',
      ...ports.flatMap((port) => ['--port', port]),
      ...STATION_KEY,
      ...args,
    ]);
    stations.push(p);
    return p;
  }

  it('provisions an order of 10 from 14 units: one blank gets the next unused serial, 4 outside are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-order-run-'));
    const order = writeOrder(dir);
    const [pair] = (await simulate(14, ['--blank', '3'])) as [PtyPair];
    const station = provision(dir, [pair.host], ['--order', order, '--order-signer', owner, '--count', '14']);
    expect(await station.exit).toBe(1);
    const devices = station.devices().map((d) => [d['serial'], d['result'], d['reason'], d['assigned']]);
    const serial = (n: number): string => `KL1-${String(n).padStart(6, '0')}`;
    expect(devices).toEqual([
      ...[1, 2].map((n) => [serial(n), 'PASS', null, false]),
      [serial(3), 'PASS', null, true],
      ...[4, 5, 6, 7, 8, 9, 10].map((n) => [serial(n), 'PASS', null, false]),
      ...[11, 12, 13, 14].map((n) => [serial(n), 'FAIL', 'outside-order', false]),
    ]);
    const simEvents = sims[0]?.events.filter((e) => e.event === 'removed') ?? [];
    expect(simEvents[2]).toMatchObject({ unit: 3, blank: true, serial: serial(3), committed: true });
    const reportFile = join(dir, 'WO-7-line1.report.json');
    expect(station.stderr()).toContain(`order report ${reportFile}: work order WO-7, 10 PASS of 10, 0 FAIL`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { report: Record<string, unknown> };
    expect(report.report).toMatchObject({
      orderId: 'WO-7',
      quantity: 10,
      pass: 10,
      fail: 0,
      spent: 0,
      refused: 4,
      remaining: 0,
      stationId: 'line1',
      serialsUsed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(serial),
    });
    const verified = runCli(['order', 'verify-report', reportFile, '--db', join(dir, 'evidence.db')]);
    expect(verified.stdout).toContain('signature OK (station key 21fe31dfa154a261)');
    expect(verified.stdout).toContain(`every figure matches ${join(dir, 'evidence.db')}`);
    expect(verified.status).toBe(0);
    expect(verifyEvidence(join(dir, 'evidence.db')).problems).toEqual([]);

    // The evidence pack carries the report, checked against the store; a report that was altered is refused.
    const db = join(dir, 'evidence.db');
    const issued = runCli([
      ...['soc', 'issue', '--db', db, '--product', DEMO_PRODUCT_PATH, '--batch', 'WO-B1'],
      ...[
        '--signatory',
        'Test Signatory, Head of Compliance',
        '--place',
        'Exampleton',
        '--out',
        join(dir, 'soc'),
      ],
    ]);
    expect(issued.status).toBe(0);
    // The report is stored in the evidence store: the pack carries it by itself (given again as a file, it is the
    // same bytes and carried once).
    const packed = runCli([
      ...['pack', '--db', db, '--batch', 'WO-B1', '--order-report', reportFile, '--out', join(dir, 'pack')],
    ]);
    expect(packed.stdout).toContain(
      'order report: orders/WO-7-line1.report.json (signature and every figure match the store)',
    );
    expect(packed.status).toBe(0);
    expect(readFileSync(join(dir, 'pack', 'orders', 'WO-7-line1.report.json'))).toEqual(
      readFileSync(reportFile),
    );
    expect(existsSync(join(dir, 'pack', 'orders', 'WO-7.report.json'))).toBe(false);
    expect(readFileSync(join(dir, 'pack', 'README.md'), 'utf8')).toMatch(
      /orders\/WO-7-line1\.report\.json: work order WO-7, station line1 \(station key 21fe31dfa154a261\): 10 PASS of 10, 0 FAIL, 0 spent, 4 refused, 0 remaining; 10 serials used; chain head seq \d+; stored in the evidence store, sealed at chain seq \d+\./,
    );
    expect(readFileSync(join(dir, 'pack', 'SHA256SUMS'), 'utf8')).toContain(
      '  orders/WO-7-line1.report.json\n',
    );
    const altered = join(dir, 'altered.report.json');
    writeFileSync(altered, readFileSync(reportFile, 'utf8').replace('"pass": 10', '"pass": 9'));
    const refused = runCli([
      'pack',
      '--db',
      db,
      '--batch',
      'WO-B1',
      '--order-report',
      altered,
      '--out',
      join(dir, 'pack2'),
    ]);
    expect(refused.stderr).toMatch(
      /altered\.report\.json: the order report of WO-7 does not match .*its signature does not verify/,
    );
    expect(refused.status).toBe(1);
    expect(existsSync(join(dir, 'pack2'))).toBe(false);
  });

  it('never makes more PASS units than the quantity with two ports racing; a FAIL after a write spends its serial', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-order-gang-'));
    const list = join(dir, 'serials.txt');
    const serials = [1, 2].flatMap((p) =>
      Array.from({ length: 8 }, (_, i) => `KL${p}-${String(i + 1).padStart(6, '0')}`),
    );
    writeFileSync(list, `${serials.join('\n')}\n`);
    const { sha256 } = readSerialList(list);
    const order = writeOrder(dir, { serials: { kind: 'list', sha256, count: 16 } });
    const [pair1, pair2] = (await simulate(8, ['--fault', 'nak@2:2'], 2)) as [PtyPair, PtyPair];
    const station = provision(
      dir,
      [pair1.host, pair2.host],
      [
        '--order',
        order,
        '--order-signer',
        owner,
        '--order-serials',
        list,
        '--count',
        '16',
        '--order-report',
        join(dir, 'report.json'),
      ],
    );
    expect(await station.exit).toBe(1);
    const results = station.devices();
    expect(results.filter((d) => d['result'] === 'PASS')).toHaveLength(10);
    expect(results.filter((d) => d['reason'] === 'nak').map((d) => d['serial'])).toEqual(['KL2-000002']);
    expect(results.filter((d) => d['reason'] === 'order-exhausted')).toHaveLength(5);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      report: Record<string, unknown>;
    };
    expect(report.report).toMatchObject({ pass: 10, fail: 1, spent: 1, refused: 5, remaining: 0 });
    const verified = runCli([
      'order',
      'verify-report',
      join(dir, 'report.json'),
      '--db',
      join(dir, 'evidence.db'),
    ]);
    expect(verified.status).toBe(0);
  });

  it('FAILs a blank unit without an order before anything is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-order-blank-'));
    const [pair] = (await simulate(2, ['--blank', '1'])) as [PtyPair];
    const station = provision(dir, [pair.host], ['--count', '2']);
    expect(await station.exit).toBe(1);
    expect(station.devices().map((d) => [d['serial'], d['result'], d['reason']])).toEqual([
      [null, 'FAIL', 'serial-blank'],
      ['KL1-000002', 'PASS', null],
    ]);
    expect(sims[0]?.events.find((e) => e.unit === 1 && e.event === 'removed')).toMatchObject({
      stored: false,
    });
  });

  it.each([
    ['a signature that does not verify', 'tamper', /signature does not verify/],
    ['an order key the station does not trust', 'signer', /which this run does not trust/],
    ['another line key', { lineKeyId: '0123456789abcdef' }, /is for line key 0123456789abcdef/],
    [
      'another profile hash',
      { profileHash: 'b'.repeat(64) },
      /is for profile credline-agent-assign with hash bbbb/,
    ],
    ['another station', { stations: ['line2'] }, /does not allow station line1/],
    ['an order that has expired', { validUntil: '2026-02-01T00:00:00Z' }, /is valid from .* not at/],
    ['no --order-signer', 'no-signer', /--order needs --order-signer KEY_ID/],
    ['no --station-key', 'no-station-key', /--order needs --station-key/],
  ])('refuses %s before anything is opened: one line, exit 2', (_name, change, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-order-refused-'));
    let order = writeOrder(dir, typeof change === 'object' ? change : {});
    if (change === 'tamper') {
      const tampered = readFileSync(order, 'utf8').replace(
        '"product": "Acme Cam 2"',
        '"product": "Acme Cam 3"',
      );
      order = join(dir, 'tampered.json');
      writeFileSync(order, tampered);
    }
    const signer = change === 'signer' ? 'ffffffffffffffff' : owner;
    const args = [
      'provision',
      '--profile',
      PROFILE,
      '--key',
      join(FIXTURES, 'test-vector-line-key.ckey'),
      '--passphrase-file',
      join(FIXTURES, 'test-vector-passphrase.txt'),
      '--allow-test-key',
      '--batch',
      'WO-B1',
      '--support-end',
      '2031-12-31',
      '--db',
      join(dir, 'evidence.db'),
      '--station',
      'line1',
      '--port',
      '/dev/ttyNOPE9',
      '--order',
      order,
      ...(change === 'no-signer' ? [] : ['--order-signer', signer]),
      ...(change === 'no-station-key' ? [] : STATION_KEY),
    ];
    const r = runCli(args);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 'evidence.db'))).toBe(false);
  });
});
