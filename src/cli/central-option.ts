/**
 * `--central URL` / `--central-env VAR` on the evidence and compliance commands: the central PostgreSQL store in
 * place of a station file (`--db`). The central module (and its PostgreSQL client) loads only when asked for.
 */
import type { Command } from 'commander';
import type { CentralReader, CentralTarget } from '../central/index.js';
import { usageError } from '../errors/credline-error.js';

export interface CentralChoice {
  central?: string;
  centralEnv?: string;
}

export function addCentralOptions(command: Command): Command {
  return command
    .option(
      '--central <URL>',
      'read the central store instead of --db: postgresql://user@host:port/db (no password in it)',
    )
    .option('--central-env <VAR>', 'the central store URL (which may carry a password) from this variable');
}

/**
 * The central target when `--central` or `--central-env` was given, else undefined (the command reads `--db`).
 * Giving `--db` as well is a usage error: one store per command.
 */
export async function centralChoice(
  opts: CentralChoice,
  command: Command,
): Promise<CentralTarget | undefined> {
  if (opts.central === undefined && opts.centralEnv === undefined) return undefined;
  if (command.getOptionValueSource('db') === 'cli')
    throw usageError('CENTRAL_AND_DB', 'give --db FILE or --central URL, not both');
  const { centralTarget } = await import('../central/index.js');
  return centralTarget(opts);
}

/** Opens a reader on the central store for `work` and closes it after (exit 3 when the store cannot be reached). */
export async function withCentralReader<T>(
  target: CentralTarget,
  work: (reader: CentralReader) => Promise<T>,
): Promise<T> {
  const { CentralReader } = await import('../central/index.js');
  const reader = await CentralReader.open(target);
  try {
    return await work(reader);
  } finally {
    await reader.close();
  }
}
