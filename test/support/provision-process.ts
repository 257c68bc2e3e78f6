/**
 * Runs `credline provision` in its own process, as an operator does, and collects its JSON lines (each checked
 * against provisioning/provision-jsonl.schema.json) and stderr. The
 * sealed test-fixture key (the published test-vector key) needs `--allow-test-key`, which every run here passes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseProvisionRecord } from './jsonl-schema.js';
import { CLI } from './sim-process.js';

export const FIXTURES = join(__dirname, '../fixtures');
export const FIXTURE_LINE_KEY = join(FIXTURES, 'test-vector-line-key.ckey');
export const FIXTURE_PASSPHRASE_FILE = join(FIXTURES, 'test-vector-passphrase.txt');

export interface ProvisionProcess {
  child: ChildProcess;
  /** The JSON lines printed so far. */
  lines: () => Array<Record<string, unknown>>;
  /** The device records printed so far. */
  devices: () => Array<Record<string, unknown>>;
  stderr: () => string;
  exit: Promise<number | null>;
  /** Resolves once a printed JSON line satisfies `match` (or rejects when the process ends first). */
  waitForLine: (match: (line: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
}

/**
 * Starts `credline provision --format jsonl` with the fixture key unless `args` gives `--key`, and the
 * credline-agent-psk profile unless `args` gives `--profile`.
 */
export function startProvision(args: string[]): ProvisionProcess {
  const defaults = [
    ...(args.includes('--profile') ? [] : ['--profile', 'credline-agent-psk']),
    ...(args.includes('--key')
      ? []
      : ['--key', FIXTURE_LINE_KEY, '--passphrase-file', FIXTURE_PASSPHRASE_FILE, '--allow-test-key']),
  ];
  const child = spawn(process.execPath, [CLI, 'provision', '--format', 'jsonl', ...defaults, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiting: Array<() => void> = [];
  const parsed = (): Array<Record<string, unknown>> =>
    out
      .split('\n')
      .filter((l) => l.trim())
      .map(parseProvisionRecord);
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
    for (const wake of waiting.splice(0)) wake();
  });
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      for (const wake of waiting.splice(0)) wake();
      resolve(code);
    }),
  );
  return {
    child,
    lines: parsed,
    devices: () => parsed().filter((l) => l['type'] === 'device'),
    stderr: () => err,
    exit,
    waitForLine: async (match) => {
      for (;;) {
        const found = parsed().find(match);
        if (found) return found;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`provision exited (${child.exitCode ?? child.signalCode}) first: ${err}`);
        }
        await new Promise<void>((wake) => waiting.push(wake));
      }
    },
  };
}
