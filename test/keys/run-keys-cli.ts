/** Runs the built CLI (`node bin/credline.js`) in a child process, with stdin not a terminal. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HANG_MS } from '../support/hang.js';

export const CLI = fileURLToPath(new URL('../../bin/credline.js', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Every output seen, so that a test can check no secret ever appeared in any of them. */
export const allOutput: string[] = [];

export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env, CREDLINE_DEBUG: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
    input: '',
    timeout: HANG_MS, // a hang detector, not a limit any run comes near
  });
  allOutput.push(r.stdout, r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
