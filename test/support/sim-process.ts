/**
 * Runs `credline sim` in its own process (as the demo and a firmware team would) and collects its JSON-line events.
 * Needs the CLI built (`npm run build`; `npm test` does it in pretest).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SimEvent } from '../../src/sim/simulator.js';

export const CLI = join(__dirname, '../../bin/credline.js');

export interface SimProcess {
  process: ChildProcess;
  events: SimEvent[];
  stderr: () => string;
  /** Resolves with the first event, seen already or still to come, that `match` accepts. */
  untilEvent(match: (event: SimEvent) => boolean): Promise<SimEvent>;
  stop(): Promise<void>;
}

export function startSim(args: string[]): SimProcess {
  const child = spawn(process.execPath, [CLI, 'sim', '--format', 'jsonl', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: SimEvent[] = [];
  const waiters = new Set<(event: SimEvent) => boolean>();
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      const event = JSON.parse(line) as SimEvent;
      events.push(event);
      for (const waiter of waiters) if (waiter(event)) waiters.delete(waiter);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    process: child,
    events,
    stderr: () => err,
    untilEvent: (match) =>
      new Promise((resolve) => {
        const seen = events.find(match);
        if (seen) return resolve(seen);
        waiters.add((event) => match(event) && (resolve(event), true));
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
