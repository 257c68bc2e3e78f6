/**
 * A real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the web console tests.
 * As root Chromium needs --no-sandbox. Screenshots go to test-artifacts/web/ (kept out of git) for a person to look
 * at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { HANG_MS } from './hang.js';
import { CHROMIUM } from './prerequisites.js';

export const ARTIFACTS = join(__dirname, '../../test-artifacts/web');

export async function launchChromium(): Promise<Browser> {
  const root = process.getuid?.() === 0;
  // A container's small /dev/shm would crash renderers; as root Chromium's sandbox cannot start.
  const args = ['--disable-dev-shm-usage', ...(root ? ['--no-sandbox'] : [])];
  return chromium.launch({ executablePath: CHROMIUM.tool, args });
}

/** A page of the size of a line-side screen (1366×768). */
export async function linePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  // Every wait is for an element or an event; its limit only detects a hang (Playwright's default is 30 s).
  context.setDefaultTimeout(HANG_MS);
  return context.newPage();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
