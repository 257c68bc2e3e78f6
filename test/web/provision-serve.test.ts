/**
 * `credline provision --serve`: the web console beside a running station, in a real Chromium. The console starts
 * once the run has its store and prints its URL on stderr; the line view fills in while the simulator (its own
 * process, over socat ptys) presents units; the console closes with the run. An address the console may not use
 * (non-loopback without a token file) is refused before the line starts. Waits for events and the DOM, never sleeps.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../compliance/helpers.js';
import { runCli } from '../cli/run-cli.js';
import { launchChromium, linePage, screenshot } from '../support/browser.js';
import { CHROMIUM, havePrerequisites, SOCAT } from '../support/prerequisites.js';
import {
  FIXTURE_LINE_KEY,
  FIXTURE_PASSPHRASE_FILE,
  startProvision,
  type ProvisionProcess,
} from '../support/provision-process.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { startSim, type SimProcess } from '../support/sim-process.js';

const ready = havePrerequisites('provision --serve in Chromium over ptys', CHROMIUM, SOCAT);

/** Resolves with the first match of `pattern` in the process's stderr, looked at as it writes. */
function stderrMatch(p: ProvisionProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const look = (): boolean => {
      const m = pattern.exec(p.stderr());
      if (m) resolve(m);
      return m !== null;
    };
    if (look()) return;
    const onData = (): void => {
      if (look()) p.child.stderr?.off('data', onData);
    };
    p.child.stderr?.on('data', onData);
    void p.exit.then(() => {
      if (!look()) reject(new Error(`provision exited without ${String(pattern)}: ${p.stderr()}`));
    });
  });
}

describe.skipIf(!ready)('credline provision --serve', () => {
  let browser: Browser | undefined;
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  const stations: ProvisionProcess[] = [];

  afterEach(async () => {
    for (const s of stations.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });

  function provision(dir: string, port: string, extra: string[]): ProvisionProcess {
    const p = startProvision([
      ...['--batch', 'SERVE-B1', '--support-end', '2031-12-31', '--db', join(dir, 'evidence.db')],
      ...['--station', 'serve-line', '--port', port, ...extra],
    ]);
    stations.push(p);
    return p;
  }

  it('serves the line view of the running station, live, and closes with the run', async () => {
    const dir = temporaryDirectory('credline-provision-serve-');
    const pair = await openPtyPair();
    pairs.push(pair);
    const station = provision(dir, pair.host, ['--serve', '127.0.0.1:0']);
    const [, url] = await stderrMatch(station, /^credline console: (http:\/\/127\.0\.0\.1:\d+\/)$/m);
    browser = await launchChromium();
    const page = await linePage(browser);
    await page.goto(url ?? '');
    await page.getByText('No unit has been seen yet').waitFor();

    sims.push(startSim(['--port', pair.device, '--devices', '3', '--fault', 'nak@2', '--swap-gap-ms', '20']));
    const tile = page.locator('.tile', { hasText: pair.host });
    await page.locator('.failures td', { hasText: 'SIM1-000002' }).waitFor();
    await page.locator('.tally-pass', { hasText: '2 PASS' }).waitFor();
    expect(await page.locator('.tally-fail').textContent()).toBe('1 FAIL');
    await tile.locator('.verdict', { hasText: 'PASS' }).waitFor();
    await screenshot(page, 'provision-serve');

    station.child.kill('SIGINT'); // Ctrl-C: the run stops after the units in hand, and its console with it
    expect(await station.exit).toBe(1);
    await expect(fetch(url ?? '')).rejects.toThrow();
  });

  it('refuses a non-loopback --serve without a token file before the line starts: one line, exit 2', () => {
    const dir = temporaryDirectory('credline-provision-serve-refused-');
    const r = runCli([
      'provision',
      ...[
        '--profile',
        'credline-agent-psk',
        '--key',
        FIXTURE_LINE_KEY,
        '--passphrase-file',
        FIXTURE_PASSPHRASE_FILE,
      ],
      ...['--allow-test-key', '--batch', 'SERVE-B1', '--support-end', '2031-12-31'],
      ...['--db', join(dir, 'evidence.db'), '--port', '/dev/ttyNOPE9', '--serve', '0.0.0.0:8080'],
    ]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'credline: --serve 0.0.0.0:8080 is not a loopback address: give --serve-token-file FILE (mode 0600, one ' +
        'token of at least 16 characters) so that only holders of the token can read the console\n',
    );
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 'evidence.db'))).toBe(false);
  });

  it('serves a non-loopback address with the token file: the token is demanded', async () => {
    const dir = temporaryDirectory('credline-provision-serve-token-');
    const tokenFile = join(dir, 'console.token');
    const token = 'f'.repeat(40);
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const pair = await openPtyPair();
    pairs.push(pair);
    const station = provision(dir, pair.host, [
      '--count',
      '1',
      '--serve',
      '0.0.0.0:0',
      '--serve-token-file',
      tokenFile,
    ]);
    const [, port] = await stderrMatch(
      station,
      /^credline console: http:\/\/[^:]+:(\d+)\/ \(sign in with the token\)$/m,
    );
    const url = `http://127.0.0.1:${port ?? ''}/batches`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    sims.push(startSim(['--port', pair.device, '--devices', '1', '--swap-gap-ms', '20']));
    expect(await station.exit).toBe(0);
    expect(station.stderr()).not.toContain(token);
  });
});
