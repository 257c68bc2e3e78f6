/** `credline serve`: the read-only web console over an evidence store, until Ctrl-C. */
import type { Command } from 'commander';
import { checkConsoleAccess, DEFAULT_LISTEN, openSqliteSource, startConsoleServer } from '../web/index.js';

interface ServeOptions {
  db: string;
  listen: string;
  tokenFile?: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'read-only web console over an evidence store: the line live, batches, device history, statement and ' +
        'evidence pack downloads; prints the URL to open',
    )
    .requiredOption('--db <FILE>', 'the evidence store (read-only; a station may be writing it)')
    .option(
      '--listen <HOST:PORT>',
      'address to listen on (loopback unless --token-file is given)',
      DEFAULT_LISTEN,
    )
    .option(
      '--token-file <FILE>',
      'a 0600 file holding the access token; required for a non-loopback --listen (browsers sign in with ' +
        'it, scripts send it as Authorization: Bearer TOKEN)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  credline serve --db line1.db\n' +
        '  openssl rand -hex 32 > console.token && chmod 600 console.token\n' +
        '  credline serve --db line1.db --listen 0.0.0.0:8080 --token-file console.token',
    )
    .action(async (opts: ServeOptions) => {
      checkConsoleAccess(opts.listen, opts.tokenFile);
      const source = openSqliteSource(opts.db);
      try {
        const server = await startConsoleServer({
          source,
          listen: opts.listen,
          tokenFile: opts.tokenFile,
        });
        process.stdout.write(
          `credline console: ${server.url}${server.tokenRequired ? ' (sign in with the token)' : ''}\n` +
            'read-only; Ctrl-C stops it\n',
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.close();
      } finally {
        await source.close();
      }
    });
}
