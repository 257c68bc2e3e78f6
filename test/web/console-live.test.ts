/**
 * The line view live in a real Chromium while `credline provision` (its own process) provisions simulated units
 * over socat ptys: the page fills in by itself, shows the unit in hand of a station killed mid-device, keeps
 * updating when the station restarts, and shows a FAIL with its reason and advice. Waits for the DOM, never sleeps.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { openSqliteSource, startConsoleServer, type ConsoleServer } from '../../src/web/index.js';
import { temporaryDirectory } from '../compliance/helpers.js';
import { launchChromium, linePage, screenshot } from '../support/browser.js';
import { CHROMIUM, havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { CLI, startSim, type SimProcess } from '../support/sim-process.js';

const ready = havePrerequisites('web console live over ptys', CHROMIUM, SOCAT);
const FIXTURES = join(__dirname, '../fixtures');

function startStation(dir: string, port: string): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'provision',
      ...['--profile', 'credline-agent-psk', '--key', join(FIXTURES, 'test-vector-line-key.ckey')],
      ...['--passphrase-file', join(FIXTURES, 'test-vector-passphrase.txt'), '--allow-test-key'],
      ...['--batch', 'LIVE-BATCH', '--support-end', '2031-12-31', '--db', join(dir, 'evidence.db')],
      ...['--station', 'live-test', '--format', 'jsonl', '--trace', join(dir, 'trace.log')],
      ...['--port', port, '--count', '3'],
    ],
    { stdio: 'ignore' },
  );
  return { child, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

/** Resolves once the trace file holds `text`; looked at on each change in its folder (no fixed sleep). */
async function traceShows(trace: string, text: string): Promise<void> {
  const shows = (): boolean => existsSync(trace) && readFileSync(trace, 'utf8').includes(text);
  await new Promise<void>((resolve) => {
    const watcher = watch(join(trace, '..'), () => {
      if (shows()) {
        watcher.close();
        resolve();
      }
    });
    if (shows()) {
      watcher.close();
      resolve();
    }
  });
}

describe.skipIf(!ready)('line view, live (Chromium + simulator over ptys)', () => {
  let server: ConsoleServer | undefined;
  let browser: Browser | undefined;
  let pair: PtyPair | undefined;
  let sim: SimProcess | undefined;
  const stations: ChildProcess[] = [];

  afterAll(async () => {
    for (const s of stations) if (s.exitCode === null) s.kill('SIGKILL');
    await sim?.stop();
    await pair?.close();
    await browser?.close();
    await server?.close();
  });

  it('fills in as units are provisioned, survives a station restart, shows a FAIL with its reason', async () => {
    const dir = temporaryDirectory('credline-web-live-');
    const db = join(dir, 'evidence.db');
    openEvidenceStore(db, { create: true }).close();
    server = await startConsoleServer({ source: openSqliteSource(db), listen: '127.0.0.1:0' });
    browser = await launchChromium();
    const page: Page = await linePage(browser);
    await page.goto(server.url);
    await page.getByText('No unit has been seen yet').waitFor();
    await screenshot(page, 'line-empty');

    pair = await openPtyPair();
    // Commits take 3 s, so the station is surely inside a device when it is killed.
    sim = startSim([
      ...['--port', pair.device, '--devices', '3', '--fault', 'nak@2', '--commit-ms', '3000'],
      ...['--idle-swap-ms', '60000', '--swap-gap-ms', '20'],
    ]);
    const first = startStation(dir, pair.host);
    stations.push(first.child);
    await traceShows(join(dir, 'trace.log'), '> COMMIT');
    first.child.kill('SIGKILL');
    await first.exit;

    const tile = page.locator('.tile', { hasText: pair.host });
    await tile.locator('.in-hand-serial', { hasText: 'SIM1-000001' }).waitFor();
    await screenshot(page, 'line-in-hand');

    const second = startStation(dir, pair.host);
    stations.push(second.child);
    await tile.locator('.verdict', { hasText: 'FAIL' }).waitFor();
    expect(await tile.locator('.unit').textContent()).toBe('SIM1-000002');
    expect(await tile.locator('.reason-code').textContent()).toBe('nak');
    expect(await tile.locator('.advice').textContent()).toContain('refused the write');
    await page.locator('.failures td', { hasText: 'SIM1-000002' }).waitFor();
    await screenshot(page, 'line-fail');

    await page.locator('.tally-pass', { hasText: '2 PASS' }).waitFor();
    expect(await second.exit).toBe(1);
    await tile.locator('.verdict', { hasText: 'PASS' }).waitFor();
    expect(await page.locator('.tally-fail').textContent()).toBe('1 FAIL');
    expect(await page.locator('.tally-aborted').textContent()).toBe('1 ABORTED');
    expect(await tile.locator('.in-hand').textContent()).toBe('No unit in hand');
    await screenshot(page, 'line');
  });
});
