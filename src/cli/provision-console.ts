/**
 * `provision --serve HOST:PORT`: the read-only web console beside the run. Its address and token file are checked
 * before the line starts (a refused address never starts it); it starts once the run has opened its store, its URL
 * printed on stderr, and closes after the run. The console code is loaded only with --serve.
 */
import { CredlineError, usageError } from '../errors/credline-error.js';

export interface ConsoleBeside {
  /** Starts the console (once the run's store is open); a console that fails to listen is one stderr line. */
  start(): void;
  close(): Promise<void>;
}

export async function consoleBeside(
  listen: string,
  tokenFile: string | undefined,
  db: string,
): Promise<ConsoleBeside> {
  const web = await import('../web/index.js');
  try {
    web.checkConsoleAccess(listen, tokenFile);
  } catch (error) {
    if (error instanceof CredlineError && error.code === 'WEB_TOKEN_REQUIRED') {
      throw usageError(
        'WEB_TOKEN_REQUIRED',
        `--serve ${listen} is not a loopback address: give --serve-token-file FILE (mode 0600, one token of at ` +
          'least 16 characters) so that only holders of the token can read the console',
      );
    }
    throw error;
  }
  let running: Promise<(() => Promise<void>) | undefined> | undefined;
  return {
    start() {
      running ??= (async () => {
        const source = web.openSqliteSource(db);
        try {
          const server = await web.startConsoleServer({
            source,
            listen,
            ...(tokenFile ? { tokenFile } : {}),
          });
          process.stderr.write(
            `credline console: ${server.url}${server.tokenRequired ? ' (sign in with the token)' : ''}\n`,
          );
          return async () => {
            await server.close();
            await source.close();
          };
        } catch (error) {
          await source.close();
          process.stderr.write(
            `credline: the web console did not start (${error instanceof Error ? error.message : String(error)}); the line goes on without it\n`,
          );
          return undefined;
        }
      })();
    },
    async close() {
      const stopConsole = await running;
      await stopConsole?.();
    },
  };
}
