/**
 * The console over the central store, in a real Chromium, against a real PostgreSQL cluster the harness starts:
 * two stations (`credline provision --central` with the simulator over socat ptys, each its own process) push into
 * it while the line view watches both; the central store is stopped and started again (a banner, then the page goes
 * on); a station restarts. Then the fleet's pages: the batches with the stations that made them and their counts,
 * the statement issued centrally and its PDF, the conflicts (one serial PASSed at both stations), a device's history
 * at every station, a hostile serial shown as text. Waits are for the DOM or a process's output, never for time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStation, syncStation } from '../../src/central/index.js';
import { openCentralSource, startConsoleServer, type ConsoleServer } from '../../src/web/index.js';
import { serials, startCentral, stationFile, type CentralFixture } from '../central/helpers.js';
import { DEMO_PRODUCT_PATH } from '../compliance/helpers.js';
import { credline } from '../evidence/cli-run.js';
import { TEST_KEY_ID } from '../evidence/helpers.js';
import { launchChromium, linePage, screenshot } from '../support/browser.js';
import { havePostgresServer } from '../support/postgres.js';
import { CHROMIUM, havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { CLI, startSim, type SimProcess } from '../support/sim-process.js';
import { HOSTILE_REASON, HOSTILE_SERIAL } from './fixture.js';

const ready =
  havePostgresServer('web console over the central store') &&
  havePrerequisites('web console over the central store', CHROMIUM, SOCAT);
const FIXTURES = join(__dirname, '../fixtures');
/** The public key of the fixture station key (test/fixtures/test-station-key.json). */
const FIXTURE_STATION_PUBLIC_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const KEY = 'test/fixtures/test-station-key.json';
const KEY_PASSPHRASE = 'test/fixtures/test-station-key-passphrase.txt';
/** TEST FIXTURE ONLY: the compliance officer's login password. */
const OFFICER_PASSWORD = 'officer-test-pw';

interface Station {
  child: ChildProcess;
  says: (text: string) => Promise<void>;
  exit: Promise<number | null>;
}

function startStation(db: string, stationId: string, port: string, env: Record<string, string>): Station {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'provision',
      ...['--profile', 'credline-agent-psk', '--key', join(FIXTURES, 'test-vector-line-key.ckey')],
      ...['--passphrase-file', join(FIXTURES, 'test-vector-passphrase.txt'), '--allow-test-key'],
      ...['--station-key', join(FIXTURES, 'test-station-key.json')],
      ...['--station-passphrase-file', join(FIXTURES, 'test-station-key-passphrase.txt')],
      ...['--batch', 'B-FLEET', '--support-end', '2031-12-31', '--db', db, '--station', stationId],
      ...['--port', port, '--format', 'jsonl', '--central-env', 'CENTRAL_URL', '--count', '3'],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } },
  );
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const w of waiters.filter((x) => err.includes(x.text))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  return {
    child,
    says: (text) =>
      new Promise((resolve) => {
        if (err.includes(text)) resolve();
        else waiters.push({ text, resolve });
      }),
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
}

describe.skipIf(!ready)('console over the central store (Chromium, PostgreSQL, stations over ptys)', () => {
  let central: CentralFixture;
  let home: string;
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  const stations: ChildProcess[] = [];

  beforeAll(async () => {
    central = await startCentral();
    for (const stationId of ['east', 'west'])
      await registerStation(central.owner, { stationId, publicKey: FIXTURE_STATION_PUBLIC_KEY });
    home = mkdtempSync(join(tmpdir(), 'credline-web-central-'));
    server = await startConsoleServer({
      source: await openCentralSource(central.reader),
      listen: '127.0.0.1:0',
    });
    browser = await launchChromium();
    page = await linePage(browser);
  });
  afterAll(async () => {
    for (const s of stations) if (s.exitCode === null) s.kill('SIGKILL');
    await Promise.all(sims.map((s) => s.stop()));
    await Promise.all(pairs.map((p) => p.close()));
    await browser?.close();
    await server?.close();
    central?.cluster.destroy();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('shows both stations live, a banner while the store is away, and a restarted station going on', async () => {
    const env = central.env('line1');
    await page.goto(server.url);
    await page.getByText('No unit has been seen yet').waitFor();
    for (let i = 0; i < 2; i++) pairs.push(await openPtyPair());
    const [east, west] = pairs as [PtyPair, PtyPair];

    sims.push(startSim(['--port', east.device, '--devices', '3', '--fault', 'nak@2']));
    sims.push(startSim(['--port', west.device, '--devices', '3']));
    const eastRun = startStation(join(home, 'east.db'), 'east', east.host, env);
    const westRun = startStation(join(home, 'west.db'), 'west', west.host, env);
    stations.push(eastRun.child, westRun.child);

    const eastTile = page.locator('.tile[data-station="east"]');
    const westTile = page.locator('.tile[data-station="west"]');
    await page.locator('.tally-pass', { hasText: '5 PASS' }).waitFor();
    await page.locator('.tally-fail', { hasText: '1 FAIL' }).waitFor();
    expect(await eastRun.exit).toBe(1);
    expect(await westRun.exit).toBe(0);
    expect(await eastTile.locator('.port').textContent()).toBe(`east · ${east.host}`);
    expect(await westTile.locator('.port').textContent()).toBe(`west · ${west.host}`);
    await westTile.locator('.unit', { hasText: 'SIM1-000003' }).waitFor();
    expect(await eastTile.locator('.port-tally').textContent()).toMatch(/2 PASS · 1\s+FAIL/);
    const failure = page.locator('.failures tbody tr', { hasText: 'SIM1-000002' });
    expect(await failure.locator('td').nth(2).textContent()).toBe('east');
    expect(await failure.locator('td code').textContent()).toBe('nak');
    await screenshot(page, 'central-line');

    central.cluster.stop('fast');
    const banner = page.locator('.banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('The central store cannot be reached since');
    expect(await page.locator('.tally-pass').textContent()).toBe('5 PASS');
    await screenshot(page, 'central-line-store-away');
    const batches = await fetch(`${server.url}batches`, { headers: { accept: 'text/html' } });
    expect(batches.status).toBe(503);
    expect(await batches.text()).toContain('<strong>Store unreachable.</strong>');

    const again = startStation(join(home, 'west.db'), 'west', west.host, env);
    stations.push(again.child);
    await again.says('central store unreachable');
    central.cluster.start();
    await banner.waitFor({ state: 'detached' });
    sims.push(startSim(['--port', west.device, '--devices', '3', '--serial-prefix', 'NEW']));
    await westTile.locator('.unit', { hasText: 'NEW1-000003' }).waitFor();
    await page.locator('.tally-pass', { hasText: '8 PASS' }).waitFor();
    expect(await again.exit).toBe(0);
    expect(await westTile.locator('.port-tally').textContent()).toMatch(/6 PASS · 0\s+FAIL/);
    await screenshot(page, 'central-line-after-restart');
  });

  it('lists every batch with the stations that made it, the statement and its PDF, the pack as unavailable', async () => {
    // Batch B1: made by line1 (four units, one of them a refusal with a hostile serial and reason) and line2.
    const line1 = stationFile('line1', serials('DEMO', 3), {
      file: join(home, 'l1.db'),
      supportEndDate: '2031-12-31',
    });
    line1.store.recordRefusal({
      batchId: 'B1',
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      stationId: 'line1',
      port: '/dev/ttyUSB1',
      serial: HOSTILE_SERIAL,
      reasonCode: 'serial-invalid',
      reasonText: HOSTILE_REASON,
    });
    line1.store.close();
    const line2 = stationFile('line2', serials('MORE', 2), {
      file: join(home, 'l2.db'),
      supportEndDate: '2031-12-31',
    });
    line2.store.close();
    for (const [id, file] of [
      ['line1', line1.file],
      ['line2', line2.file],
    ] as const)
      expect((await syncStation({ file, target: central.station(id) })).findings).toEqual([]);
    central.cluster.psql(
      `CREATE ROLE officer LOGIN PASSWORD '${OFFICER_PASSWORD}' IN ROLE credline_compliance`,
      'credline',
    );
    const officer = {
      CENTRAL_URL: central.cluster.url('credline', 'officer').replace('@', `:${OFFICER_PASSWORD}@`),
    };
    const add = credline(
      ['central', 'key', 'add', '--central-env', 'CENTRAL_URL', '--name', 'compliance', '--key', KEY],
      central.env('owner'),
    );
    expect([add.status, add.stderr]).toEqual([0, '']);
    const issued = credline(
      [
        ...['soc', 'issue', '--central-env', 'CENTRAL_URL', '--product', DEMO_PRODUCT_PATH, '--batch', 'B1'],
        ...['--signatory', 'A. Person, Head of Compliance', '--place', 'Exampleton'],
        ...['--out', join(home, 'out'), '--central-key', KEY, '--passphrase-file', KEY_PASSPHRASE],
      ],
      officer,
    );
    expect([issued.status, issued.stderr]).toEqual([0, '']);

    await page.goto(`${server.url}batches`);
    const fleet = page.locator('table.batches tbody tr', { hasText: 'B-FLEET' });
    expect(await fleet.locator('td.num').allTextContents()).toEqual(['8', '1', '0', '0']);
    expect(await fleet.locator('li[data-station] .station').allTextContents()).toEqual(['east', 'west']);
    expect(await fleet.locator('li[data-station="east"] .station-counts').textContent()).toBe(
      '2 PASS · 1 FAIL',
    );
    expect(await fleet.locator('li[data-station="west"] .station-counts').textContent()).toBe(
      '6 PASS · 0 FAIL',
    );
    const b1 = page.locator('table.batches tbody tr', { hasText: 'B1' });
    expect(await b1.locator('td.num').allTextContents()).toEqual(['5', '1', '0', '0']);
    expect(await b1.locator('li[data-station] .station').allTextContents()).toEqual(['line1', 'line2']);
    expect(await b1.locator('td', { hasText: 'issued' }).count()).toBe(1);
    // The chain status comes from the store's own verification, run in the background: reload until it is in.
    while ((await page.locator('.station-status .status-ok').count()) < 4) await page.reload();
    expect(await page.locator('.station-status li').allTextContents()).toEqual([
      expect.stringMatching(/^\s*east:\s+✔ verifies\s+up to record \d+\s*$/),
      expect.stringMatching(/^\s*line1:\s+✔ verifies/),
      expect.stringMatching(/^\s*line2:\s+✔ verifies/),
      expect.stringMatching(/^\s*west:\s+✔ verifies/),
    ]);
    await screenshot(page, 'central-batches');

    await b1.getByRole('link', { name: 'B1' }).click();
    await page.locator('h1', { hasText: 'Batch B1' }).waitFor();
    expect(await page.locator('.count-pass').textContent()).toBe('5');
    expect(await page.locator('.batch-stations li[data-station] .station').allTextContents()).toEqual([
      'line1',
      'line2',
    ]);
    expect(await page.locator('.statement').textContent()).toContain('issued');
    expect(await page.locator('.pack-unavailable').textContent()).toContain('cannot be downloaded');
    expect(await page.getByRole('link', { name: 'Evidence pack (zip)' }).count()).toBe(0);
    expect(await page.locator('.results tbody tr').count()).toBe(6);
    expect(await page.locator('.checkpoints tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'central-batch');
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Statement (PDF)' }).click(),
    ]);
    const pdfFile = join(home, 'statement.pdf');
    await pdf.saveAs(pdfFile);
    expect(readFileSync(pdfFile).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('pages the results of a batch made on two stations, newest first, each row naming its station', async () => {
    await page.goto(`${server.url}batches/B-FLEET`);
    const rows = page.locator('.results tbody tr');
    expect(await rows.count()).toBe(9);
    const times = await rows.locator('td:first-child').allTextContents();
    expect([...times].sort().reverse()).toEqual(times);
    expect(new Set(await rows.locator('td:nth-child(3)').allTextContents())).toEqual(
      new Set(['east', 'west']),
    );
    expect(await page.getByRole('link', { name: 'Older results' }).count()).toBe(0);
  });

  it('lists a serial PASSed at two stations as a conflict naming both', async () => {
    await page.goto(`${server.url}batches`);
    await page.getByRole('link', { name: 'Conflicts across stations' }).click();
    await page.locator('h1', { hasText: 'Conflicts across stations' }).waitFor();
    const conflict = page.locator('tr.conflict-serial', { hasText: 'SIM1-000001' });
    expect((await conflict.locator('.conflict-station').allTextContents()).sort()).toEqual(['east', 'west']);
    expect(await conflict.textContent()).toContain('B-FLEET');
    // SIM1-000001 and SIM1-000003 PASSed at both; SIM1-000002 FAILed at east.
    expect(await page.locator('tr.conflict-serial').count()).toBe(2);
    await screenshot(page, 'central-conflicts');
  });

  it('finds a device across stations and shows its whole history, each record naming its station', async () => {
    await page.goto(`${server.url}devices`);
    await page.getByLabel('Serial').fill('SIM1-00000');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('ul.matches').waitFor();
    expect(await page.locator('ul.matches li').allTextContents()).toEqual([
      'SIM1-000001',
      'SIM1-000002',
      'SIM1-000003',
    ]);
    await page.getByRole('link', { name: 'SIM1-000002' }).click();
    await page.locator('h2', { hasText: 'History of SIM1-000002' }).waitFor();
    const rows = page.locator('table.history tbody tr');
    const stationsOf = await rows.locator('td:nth-child(6)').allTextContents();
    expect(new Set(stationsOf)).toEqual(new Set(['east', 'west']));
    expect(await rows.filter({ hasText: 'FAIL' }).locator('td:nth-child(6)').textContent()).toBe('east');
    expect(await rows.filter({ hasText: 'PASS' }).locator('td:nth-child(6)').textContent()).toBe('west');
    await screenshot(page, 'central-device');
  });

  it('shows a hostile serial and reason as text, and no password, fingerprint or key in any page', async () => {
    await page.goto(`${server.url}devices?serial=${encodeURIComponent(HOSTILE_SERIAL)}`);
    expect(await page.locator('h2 .serial').textContent()).toBe(HOSTILE_SERIAL);
    expect(await page.locator('table.history').textContent()).toContain(HOSTILE_REASON);
    expect(await page.locator('img[src="x"], main script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await page.goto(server.url);
    const tile = page.locator('.tile[data-station="line1"][data-port="/dev/ttyUSB1"]');
    expect(await tile.locator('.unit').textContent()).toBe(HOSTILE_SERIAL);
    expect(await page.locator('.failures tbody tr td', { hasText: HOSTILE_REASON }).count()).toBe(1);
    expect(await page.locator('img[src="x"], main script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await screenshot(page, 'central-line-hostile');

    const paths = ['', 'batches', 'batches/B1', 'batches/B-FLEET', 'conflicts', 'devices?serial=SIM1-000001'];
    for (const p of paths) {
      const body = await (await fetch(`${server.url}${p}`)).text();
      expect(body).not.toMatch(/[0-9a-f]{64}/);
      for (const secret of ['line1-test-pw', 'auditor-test-pw', OFFICER_PASSWORD])
        expect(body).not.toContain(secret);
    }
  });

  it('credline serve --central-env prints the URL; --db with --central, or another address without a token, is refused', async () => {
    const both = credline([
      'serve',
      '--db',
      join(home, 'east.db'),
      '--central',
      central.cluster.url('credline'),
    ]);
    expect([both.status, both.stdout, both.stderr]).toEqual([
      2,
      '',
      'credline: give --db FILE or --central URL, not both\n',
    ]);
    const open = credline(
      ['serve', '--central-env', 'CENTRAL_URL', '--listen', '0.0.0.0:0'],
      central.env('auditor'),
    );
    expect([open.status, open.stderr]).toEqual([
      2,
      expect.stringMatching(
        /^credline: --listen 0\.0\.0\.0:0 is not a loopback address: give --token-file FILE/,
      ),
    ]);
    const neither = credline(['serve']);
    expect([neither.status, neither.stderr]).toEqual([
      2,
      'credline: give the store to serve: --db FILE, or --central URL (or --central-env VAR)\n',
    ]);
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--central-env', 'CENTRAL_URL', '--listen', '127.0.0.1:0'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...central.env('auditor') } },
    );
    stations.push(child);
    const url = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /credline console: (http:\/\/\S+)/.exec(out)?.[1];
        if (found) resolve(found);
      });
    });
    const body = await (await fetch(`${url}batches`)).text();
    expect(body).toContain('B-FLEET');
    expect(body).toContain('postgresql://auditor@');
    expect(body).not.toContain('auditor-test-pw');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
