/**
 * The console's routes (Hono): every page is a GET that reads the source; the only POST is the sign-in form. Every
 * response carries a strict Content-Security-Policy (scripts and styles only from this server, no inline code, no
 * framing) and is never cached. Without a token, only requests addressed to a loopback name are answered (a
 * browser tricked into sending a request by a rebinding DNS name carries that name in Host and is refused).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { ExitCode } from '../errors/credline-error.js';
import { sessionValue, tokensEqual } from './access-token.js';
import type { ConsoleSource } from './console-source.js';
import { readAsset, type AssetName } from './console-assets.js';
import type { SafeHtml } from './html.js';
import type { LiveFeed } from './live-feed.js';
import { batchesPage } from './pages/batches-page.js';
import { batchPage } from './pages/batch-page.js';
import { conflictsPage } from './pages/conflicts-page.js';
import { devicePage } from './pages/device-page.js';
import { linePage } from './pages/line-page.js';
import type { Frame } from './pages/layout.js';
import { loginPage } from './pages/login-page.js';
import { unavailablePage } from './pages/unavailable-page.js';
import { SignInLimit } from './sign-in-limit.js';

export interface ConsoleAppOptions {
  source: ConsoleSource;
  feed: LiveFeed;
  /** The access token; when set every request must carry it (bearer header or session cookie). */
  token?: string;
  /** Host header values accepted without a token (the loopback names of the listening port). */
  loopbackHosts: readonly string[];
  now?: () => Date;
}

export const SESSION_COOKIE = 'credline_session';
const RESULTS_PER_PAGE = 50;
const SERIAL_MATCHES = 50;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function htmlResponse(c: Context, body: SafeHtml, status: 200 | 401 | 404 | 503 = 200): Response {
  return c.html(body.text, status);
}

function download(c: Context, bytes: Uint8Array, type: string, filename: string): Response {
  c.header('Content-Type', type);
  c.header('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  return c.body(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
}

/** The client's address, as the socket has it. */
function clientAddress(c: Context): string {
  return getConnInfo(c).remote.address ?? 'unknown';
}

/** 429 for an address past its wrong-token limit: says when to come back, and nothing of any token. */
function tooManyAttempts(c: Context, retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  c.header('Retry-After', String(seconds));
  return c.text(`too many wrong access tokens from this address; try again in ${seconds} s\n`, 429);
}

function guard(options: ConsoleAppOptions, limit: SignInLimit): MiddlewareHandler {
  const { token } = options;
  const session = token === undefined ? undefined : sessionValue(token);
  return async (c, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.path !== '/login') {
      return c.text('this console is read-only\n', 405);
    }
    if (token === undefined || session === undefined) {
      if (!options.loopbackHosts.includes(c.req.header('host') ?? '')) {
        return c.text('this console answers only to its loopback address\n', 421);
      }
      return next();
    }
    if (c.req.path.startsWith('/assets/') || (c.req.path === '/login' && c.req.method !== 'POST'))
      return next();
    const address = clientAddress(c);
    const wait = limit.retryAfterMs(address);
    if (wait > 0) return tooManyAttempts(c, wait);
    if (c.req.path === '/login') return next();
    const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const cookie = getCookie(c, SESSION_COOKIE);
    if (
      (bearer !== undefined && tokensEqual(bearer, token)) ||
      (cookie !== undefined && tokensEqual(cookie, session))
    ) {
      return next();
    }
    // A wrong bearer token is a guess; a stale cookie (the token was changed) is not, and goes to sign in.
    if (bearer !== undefined) limit.failed(address);
    if (bearer === undefined && (c.req.header('accept') ?? '').includes('text/html')) {
      return c.redirect('/login', 303);
    }
    c.header('WWW-Authenticate', 'Bearer realm="credline"');
    return c.text('a valid access token is needed (Authorization: Bearer TOKEN)\n', 401);
  };
}

export function createConsoleApp(options: ConsoleAppOptions): Hono {
  const { source, feed, token } = options;
  const now = options.now ?? (() => new Date());
  const limit = new SignInLimit({ now });
  const frame: Frame = { name: source.name, fleet: source.conflicts !== undefined };
  const app = new Hono();
  app.use('*', guard(options, limit));

  app.get('/login', (c) => htmlResponse(c, loginPage(false)));
  app.post('/login', bodyLimit({ maxSize: 8 * 1024 }), async (c) => {
    if (token === undefined) return c.redirect('/', 303);
    const form = await c.req.parseBody();
    const given = typeof form['token'] === 'string' ? form['token'].trim() : '';
    if (!tokensEqual(given, token)) {
      limit.failed(clientAddress(c));
      return htmlResponse(c, loginPage(true), 401);
    }
    setCookie(c, SESSION_COOKIE, sessionValue(token), {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
    });
    return c.redirect('/', 303);
  });

  app.get('/assets/:name', (c) => {
    const asset = readAsset(c.req.param('name') as AssetName);
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    return c.body(asset.text);
  });

  app.get('/', async (c) => {
    await source.refresh();
    return htmlResponse(c, linePage(await source.lineState(now()), frame));
  });

  app.get('/events', (c) => {
    const stream = feed.open();
    if (!stream) return c.text('too many live pages are open; try again later\n', 503);
    return new Response(stream, {
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'X-Accel-Buffering': 'no',
      },
    });
  });

  app.get('/batches', async (c) => {
    await source.refresh();
    return htmlResponse(c, batchesPage(await source.listBatches(), await source.chainStatus(), frame));
  });

  app.get('/batches/:id', async (c) => {
    await source.refresh();
    const batchId = c.req.param('id');
    const facts = await source.batchFacts(batchId);
    if (!facts) return c.text(`no batch ${batchId}\n`, 404);
    const before = c.req.query('before')?.slice(0, 4096);
    return htmlResponse(
      c,
      batchPage({
        facts,
        status: await source.chainStatus(),
        checkpoints: await source.listCheckpoints(),
        results: await source.batchResults(batchId, {
          ...(before ? { before } : {}),
          limit: RESULTS_PER_PAGE,
        }),
        source: frame,
        packUnavailable: source.packUnavailable,
      }),
    );
  });

  app.get('/batches/:id/statement.pdf', async (c) => {
    const batchId = c.req.param('id');
    const pdf = await source.statementPdf(batchId);
    if (!pdf) return c.text(`no statement of compliance issued for batch ${batchId}\n`, 404);
    return download(c, pdf, 'application/pdf', `statement-of-compliance-${batchId}.pdf`);
  });

  app.get('/batches/:id/pack.zip', async (c) => {
    if (source.packUnavailable !== undefined) return c.text(`${source.packUnavailable}\n`, 404);
    const batchId = c.req.param('id');
    const zip = await source.evidencePackZip(batchId);
    return download(c, zip, 'application/zip', `evidence-pack-${batchId}.zip`);
  });

  app.get('/devices', async (c) => {
    const query = (c.req.query('serial') ?? '').trim().slice(0, 256);
    const history = query === '' ? undefined : await source.deviceHistory(query);
    const matches =
      query === '' || (history?.events.length ?? 0) > 0
        ? []
        : await source.findSerials(query, SERIAL_MATCHES);
    return htmlResponse(c, devicePage(query, history, matches, frame));
  });

  app.get('/conflicts', async (c) => {
    if (!source.conflicts) return c.notFound();
    const { conflicts, findings } = await source.conflicts();
    return htmlResponse(c, conflictsPage(conflicts, findings, frame));
  });

  app.onError((error, c) => {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { exitCode?: number }).exitCode;
    // The store gone away (a central store's server stopped, the network cut): a page that says so.
    if (code === ExitCode.transport && (c.req.header('accept') ?? '').includes('text/html'))
      return htmlResponse(c, unavailablePage(message, frame), 503);
    return c.text(`${message}\n`, code === 2 || code === 1 ? 409 : code === ExitCode.transport ? 503 : 500);
  });
  return app;
}
