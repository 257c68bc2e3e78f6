/** Runs the built CLI (`node bin/credline.js`) as a user would, in a child process. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HANG_MS } from '../support/hang.js';

export const CLI = fileURLToPath(new URL('../../bin/credline.js', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const TEST_KEY = `${FIXTURES}test-vector-line-key.ckey`;
export const TEST_PASSPHRASE_FILE = `${FIXTURES}test-vector-passphrase.txt`;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    timeout: HANG_MS, // a hang detector, not a limit any run comes near
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
