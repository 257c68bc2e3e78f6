/** `credline serve`: the read-only web console over an evidence store (a station file or the central store), until Ctrl-C. */
import type { Command } from 'commander';
import { usageError } from '../errors/credline-error.js';
import {
  checkConsoleAccess,
  DEFAULT_LISTEN,
  openCentralSource,
  openSqliteSource,
  startConsoleServer,
  type ConsoleSource,
} from '../web/index.js';
import { addCentralOptions, type CentralChoice } from './central-option.js';

interface ServeOptions extends CentralChoice {
  db?: string;
  listen: string;
  tokenFile?: string;
}

/** The store to serve: `--db FILE` or `--central URL` / `--central-env VAR`, exactly one. */
async function openSource(opts: ServeOptions): Promise<ConsoleSource> {
  const central = opts.central !== undefined || opts.centralEnv !== undefined;
  if (central && opts.db !== undefined)
    throw usageError('CENTRAL_AND_DB', 'give --db FILE or --central URL, not both');
  if (!central) {
    if (opts.db === undefined)
      throw usageError(
        'SERVE_STORE',
        'give the store to serve: --db FILE, or --central URL (or --central-env VAR)',
      );
    return openSqliteSource(opts.db);
  }
  const { centralTarget } = await import('../central/index.js');
  return openCentralSource(centralTarget(opts));
}

export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description(
      'read-only web console over an evidence store: the line live, batches, device history, statement and ' +
        'evidence pack downloads; over the central store, every station, the stations of each batch and the ' +
        'conflicts; prints the URL to open',
    )
    .option('--db <FILE>', 'a station evidence store (read-only; a station may be writing it)');
  addCentralOptions(command)
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
        '  credline serve --central postgresql://auditor@db.example:5432/credline   # password from PGPASSWORD or ~/.pgpass\n' +
        '  openssl rand -hex 32 > console.token && chmod 600 console.token\n' +
        '  credline serve --db line1.db --listen 0.0.0.0:8080 --token-file console.token',
    )
    .action(async (opts: ServeOptions) => {
      checkConsoleAccess(opts.listen, opts.tokenFile);
      const source = await openSource(opts);
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
