/**
 * Pseudo-terminal pairs from socat for the demo and the benchmarks (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`):
 * bytes written to one end come out of the other, like a null-modem cable.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';

export interface PtyPair {
  host: string;
  device: string;
  child: ChildProcess;
}

export function haveSocat(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v socat'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function startPtyPair(): Promise<PtyPair> {
  const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const paths = await new Promise<string[]>((done, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error(`socat did not start: ${text}`)), 5000);
    child.stderr?.on('data', (c: Buffer) => {
      text += c.toString();
      const found = [...text.matchAll(/PTY is (\/dev\/\S+)/g)].map((m) => m[1] ?? '');
      if (found.length >= 2 && text.includes('starting data transfer loop')) {
        clearTimeout(timer);
        done(found);
      }
    });
  });
  return { host: paths[0] ?? '', device: paths[1] ?? '', child };
}
