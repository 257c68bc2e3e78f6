/**
 * Runs the built CLI with stdin, stdout and stderr on a real pseudo-terminal (util-linux `script`), as a user at a
 * terminal would; returns everything the terminal showed. Check {@link SCRIPT} with `havePrerequisites` first.
 */
import { spawnSync } from 'node:child_process';
import { CLI } from '../cli/run-cli.js';
import { HANG_MS } from './hang.js';
import type { Prerequisite } from './prerequisites.js';

/** util-linux `script`: runs a command on a fresh pseudo-terminal. */
export const SCRIPT: Prerequisite = { tool: 'script', aptPackage: 'util-linux' };

const quote = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`;

export function runInTerminal(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; shown: string } {
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  const result = spawnSync('script', ['-qfec', command, '/dev/null'], {
    encoding: 'utf8',
    input: '',
    env: { ...process.env, ...env },
    timeout: HANG_MS, // a hang detector, not a limit any run comes near
  });
  return { status: result.status, shown: result.stdout };
}
