/** Runs the built CLI (`node bin/credline.js`) as a user would. */
import { spawnSync } from 'node:child_process';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function credline(args: readonly string[], env: Record<string, string> = {}): CliResult {
  const run = spawnSync(process.execPath, ['bin/credline.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
