/**
 * Who may read the console: loopback without a token; any other address only with a 0600 token file, checked on
 * every request (the sign-in form's HttpOnly cookie in a browser, a bearer header from scripts). Read-only.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteSource, startConsoleServer, type ConsoleServer } from '../../src/web/index.js';
import { temporaryDirectory } from '../compliance/helpers.js';
import { launchChromium, linePage, screenshot } from '../support/browser.js';
import { CHROMIUM, havePrerequisites } from '../support/prerequisites.js';
import { createConsoleFixture, credline } from './fixture.js';

const TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';

function tokenFile(mode: number, text = `${TOKEN}\n`): string {
  const file = join(temporaryDirectory(), 'console.token');
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return file;
}

describe('console access (CLI)', () => {
  const db = createConsoleFixture();

  it('refuses a non-loopback address without a token file', () => {
    const run = credline('serve', '--db', db, '--listen', '0.0.0.0:0');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'credline: --listen 0.0.0.0:0 is not a loopback address: give --token-file FILE (mode 0600, one token of ' +
        'at least 16 characters) so that only holders of the token can read the console\n',
    );
  });

  it('refuses a token file others can read, or a short token', () => {
    const open = credline('serve', '--db', db, '--listen', '0.0.0.0:0', '--token-file', tokenFile(0o644));
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(/mode 0644 lets others read the token; run chmod 600 /);
    const short = credline(
      'serve',
      '--db',
      db,
      '--listen',
      '0.0.0.0:0',
      '--token-file',
      tokenFile(0o600, 'abc'),
    );
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('at least 16 printable ASCII characters');
    expect(credline('serve', '--db', db, '--listen', 'nowhere').stderr).toContain('expected HOST:PORT');
  });
});

/** A request from a chosen loopback address (the whole of 127/8 is this machine's). */
function fetchFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, localAddress },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    sent.once('error', reject);
    sent.end(init.body);
  });
}

describe('console sign-in limit', () => {
  it('answers 429 to an address after 5 wrong tokens in a minute, other addresses unaffected, and leaks nothing', async () => {
    let nowMs = Date.parse('2026-12-03T10:00:00.000Z');
    const server = await startConsoleServer({
      source: openSqliteSource(createConsoleFixture()),
      listen: '127.0.0.1:0',
      tokenFile: tokenFile(0o600),
      now: () => new Date(nowMs),
    });
    try {
      const login = server.url + 'login';
      const form = (token: string) => ({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${encodeURIComponent(token)}`,
      });
      for (let i = 0; i < 4; i++)
        expect((await fetchFrom('127.0.0.1', login, form(`wrong-${i}`))).status).toBe(401);
      const bearer = { headers: { authorization: `Bearer ${TOKEN}x` } };
      expect((await fetchFrom('127.0.0.1', `${server.url}batches`, bearer)).status).toBe(401);
      nowMs += 59_000;
      for (const limited of [
        await fetchFrom('127.0.0.1', login, form(TOKEN)),
        await fetchFrom('127.0.0.1', `${server.url}batches`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        }),
      ]) {
        expect(limited.status).toBe(429);
        expect(limited.headers['retry-after']).toBe('1');
        expect(limited.body).toBe('too many wrong access tokens from this address; try again in 1 s\n');
        expect(limited.headers['set-cookie']).toBeUndefined();
        expect(JSON.stringify(limited)).not.toContain(TOKEN.slice(0, 8));
      }
      const other = await fetchFrom('127.0.0.2', login, form(TOKEN));
      expect(other.status).toBe(303);
      expect(other.headers['set-cookie']).toBeDefined();
      nowMs += 1_000; // the window of the first wrong token has ended
      const again = await fetchFrom('127.0.0.1', login, form(TOKEN));
      expect(again.status).toBe(303);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(!havePrerequisites('web console access in Chromium', CHROMIUM))(
  'console access (Chromium)',
  () => {
    let server: ConsoleServer;
    let browser: Browser;
    let base: string;

    beforeAll(async () => {
      server = await startConsoleServer({
        source: openSqliteSource(createConsoleFixture()),
        listen: '0.0.0.0:0',
        tokenFile: tokenFile(0o600),
      });
      base = server.url.replace('0.0.0.0', '127.0.0.1');
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('sends a browser to sign in, refuses a wrong token, admits the right one with an HttpOnly cookie', async () => {
      const page = await linePage(browser);
      await page.goto(base);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Access token').fill('not-the-token-at-all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'That token is not right.' }).waitFor();
      expect(await page.context().cookies()).toEqual([]);
      await screenshot(page, 'login-refused');
      await page.getByLabel('Access token').fill(TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('h1', { hasText: 'Batch DEMO-B1' }).waitFor();
      const [cookie] = await page.context().cookies();
      expect(cookie).toMatchObject({ name: 'credline_session', httpOnly: true, sameSite: 'Strict' });
      expect(cookie?.value).not.toContain(TOKEN);
      await page.goto(`${base}batches`);
      await page.locator('h1', { hasText: 'Batches' }).waitFor();
    });

    it('answers scripts with the bearer token only, and is read-only', async () => {
      expect((await fetch(`${base}batches`)).status).toBe(401);
      const wrong = await fetch(`${base}batches`, { headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${base}batches`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(right.status).toBe(200);
      const posted = await fetch(`${base}batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(posted.status).toBe(405);
      expect(right.headers.get('content-security-policy')).toContain("script-src 'self'");
    });
  },
);
