/**
 * The console's pages in a real Chromium over a fixture store: batch counts, downloads (the pack's bytes are
 * `credline pack`'s), device search, hostile device text shown as text, and no secret in any page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteSource, startConsoleServer, type ConsoleServer } from '../../src/web/index.js';
import { fixturePasswords } from '../compliance/evidence-fixture.js';
import { temporaryDirectory } from '../compliance/helpers.js';
import { launchChromium, linePage, screenshot } from '../support/browser.js';
import { CHROMIUM, havePrerequisites } from '../support/prerequisites.js';
import { BATCH, createConsoleFixture, credline, HOSTILE_REASON, HOSTILE_SERIAL } from './fixture.js';

const ready = havePrerequisites('web console in Chromium', CHROMIUM);

describe.skipIf(!ready)('web console pages (Chromium)', () => {
  let file: string;
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    file = createConsoleFixture();
    server = await startConsoleServer({ source: openSqliteSource(file), listen: '127.0.0.1:0' });
    browser = await launchChromium();
    page = await linePage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the batch and shows its counts, statement, retention and charts', async () => {
    await page.goto(`${server.url}batches`);
    const row = page.locator('table.batches tbody tr', { hasText: BATCH });
    expect(await row.locator('td.num').allTextContents()).toEqual(['5', '2', '0', '0']);
    await screenshot(page, 'batches');
    await row.getByRole('link', { name: BATCH }).click();
    await page.locator('h1', { hasText: `Batch ${BATCH}` }).waitFor();
    expect(await page.locator('.count-pass').textContent()).toBe('5');
    expect(await page.locator('.count-fail').textContent()).toBe('2');
    expect(await page.locator('.statement').textContent()).toContain('issued');
    expect(await page.locator('dd.retention').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('.charts svg').count()).toBe(4);
    expect(await page.locator('.results tbody tr').count()).toBe(7);
    await screenshot(page, 'batch');
  });

  it('downloads the evidence pack with the bytes of credline pack, and the statement PDF', async () => {
    await page.goto(`${server.url}batches/${BATCH}`);
    const [pack] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Evidence pack (zip)' }).click(),
    ]);
    const downloaded = join(temporaryDirectory(), 'downloaded.zip');
    await pack.saveAs(downloaded);
    const built = join(temporaryDirectory(), 'cli.zip');
    expect(credline('pack', '--db', file, '--batch', BATCH, '--out', built).status).toBe(0);
    expect(readFileSync(downloaded).equals(readFileSync(built))).toBe(true);
    expect(pack.suggestedFilename()).toBe(`evidence-pack-${BATCH}.zip`);

    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Statement (PDF)' }).click(),
    ]);
    const pdfFile = join(temporaryDirectory(), 'statement.pdf');
    await pdf.saveAs(pdfFile);
    expect(readFileSync(pdfFile).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('finds a device by serial prefix and shows its whole history', async () => {
    await page.goto(`${server.url}devices`);
    await page.getByLabel('Serial').fill('DEMO-1000');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('ul.matches').waitFor();
    expect(await page.locator('ul.matches li').allTextContents()).toContain('DEMO-100099');
    await page.getByRole('link', { name: 'DEMO-100099' }).click();
    await page.locator('h2', { hasText: 'History of DEMO-100099' }).waitFor();
    const rows = page.locator('table.history tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('started');
    expect(await rows.nth(1).textContent()).toContain('FAIL');
    expect(await rows.nth(1).textContent()).toContain('nak');
    await screenshot(page, 'device');
  });

  it('shows a hostile serial and reason as text, running nothing', async () => {
    await page.goto(server.url);
    const failure = page.locator('.failures tbody tr').first();
    expect(await failure.locator('td').nth(1).textContent()).toBe(HOSTILE_SERIAL);
    expect(await failure.locator('td').nth(4).textContent()).toBe(HOSTILE_REASON);
    const tile = page.locator('.tile', { hasText: '/dev/ttyUSB1' });
    expect(await tile.locator('.unit').textContent()).toBe(HOSTILE_SERIAL);
    expect(await tile.locator('.verdict').textContent()).toContain('FAIL');
    expect(await page.locator('img[src="x"], main script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await screenshot(page, 'line-hostile');
    await page.goto(`${server.url}devices?serial=${encodeURIComponent(HOSTILE_SERIAL)}`);
    expect(await page.locator('h2 .serial').textContent()).toBe(HOSTILE_SERIAL);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('never sends a password, fingerprint or key in any page', async () => {
    const paths = ['', 'batches', `batches/${BATCH}`, 'devices?serial=DEMO-100001', 'devices?serial=DEMO'];
    const bodies = await Promise.all(paths.map(async (p) => (await fetch(`${server.url}${p}`)).text()));
    for (const body of bodies) {
      for (const password of fixturePasswords(5)) expect(body).not.toContain(password);
      expect(body).not.toMatch(/[0-9a-f]{64}/);
    }
  });
});
