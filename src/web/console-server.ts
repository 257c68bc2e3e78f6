/**
 * Starting the console: bound to loopback unless told otherwise, and then only with an access token. Resolves once
 * listening, with the URL to open.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { readTokenFile } from './access-token.js';
import { createConsoleApp } from './console-app.js';
import type { ConsoleSource } from './console-source.js';
import {
  isLoopback,
  parseListenAddress,
  urlHost,
  DEFAULT_LISTEN,
  type ListenAddress,
} from './listen-address.js';
import { LiveFeed, type LiveFeedOptions } from './live-feed.js';

export interface ConsoleServerOptions extends LiveFeedOptions {
  source: ConsoleSource;
  /** `HOST:PORT`; default 127.0.0.1:8080. */
  listen?: string;
  /** A 0600 file holding the access token; required for any address other than loopback. */
  tokenFile?: string;
}

export interface ConsoleServer {
  url: string;
  /** True when requests must carry the access token. */
  tokenRequired: boolean;
  /** Live pages connected now. */
  liveClients(): number;
  close(): Promise<void>;
}

/**
 * The address to listen on and the token to demand, checked before anything starts: a non-loopback address needs a
 * token file (0600). Callers that start the console later (beside a station run) check first with this.
 *
 * @example checkConsoleAccess('0.0.0.0:8080', 'console.token');
 */
export function checkConsoleAccess(
  listen: string,
  tokenFile: string | undefined,
): { address: ListenAddress; token: string | undefined } {
  const address = parseListenAddress(listen);
  if (!isLoopback(address.host) && tokenFile === undefined) {
    throw usageError(
      'WEB_TOKEN_REQUIRED',
      `--listen ${listen} is not a loopback address: give --token-file FILE (mode 0600, one token of at least ` +
        '16 characters) so that only holders of the token can read the console',
    );
  }
  return { address, token: tokenFile === undefined ? undefined : readTokenFile(tokenFile) };
}

/**
 * @example
 * const server = await startConsoleServer({ source: openSqliteSource('line1.db') });
 * console.log(`open ${server.url}`);
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const listen = options.listen ?? DEFAULT_LISTEN;
  const { address, token } = checkConsoleAccess(listen, options.tokenFile);
  // Fold what the store holds before listening, so the first page is as quick as any other.
  await options.source.refresh();
  const feed = new LiveFeed(options.source, options);
  const loopbackHosts: string[] = [];
  const app = createConsoleApp({ source: options.source, feed, token, loopbackHosts, now: options.now });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: address.host, port: address.port }, () =>
      resolve(started),
    );
    started.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CredlineError(
          'WEB_LISTEN',
          `cannot listen on ${listen}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`,
          { exitCode: ExitCode.usage, cause: error },
        ),
      ),
    );
  }).catch((error: unknown) => {
    feed.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  for (const host of ['127.0.0.1', 'localhost', '::1', address.host]) loopbackHosts.push(urlHost(host, port));
  return {
    url: `http://${urlHost(address.host, port)}/`,
    tokenRequired: token !== undefined,
    liveClients: () => feed.clients,
    close: async () => {
      await feed.tick(); // the pages get what the store holds now (a station's last verdicts) before they close
      feed.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
