/**
 * A pair of connected pseudo-terminals from socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`): bytes written
 * to one come out of the other, like a null-modem cable. `close()` ends socat, which makes both ends vanish (the
 * way a USB serial adapter does when unplugged).
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface PtyPair {
  /** The end the station (host) opens. */
  host: string;
  /** The end the simulated device opens. */
  device: string;
  process: ChildProcess;
  close(): Promise<void>;
}

/**
 * @param links optional fixed symlink names for the two ends (`pty,link=PATH`), so a pair restarted later
 * reappears under the same names (for unplug/replug tests).
 */
export async function openPtyPair(links?: { host: string; device: string }): Promise<PtyPair> {
  const end = (link?: string): string => `pty,raw,echo=0${link ? `,link=${link}` : ''}`;
  const child = spawn('socat', ['-d', '-d', end(links?.host), end(links?.device)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Ready when socat says so; it failing to start is its exit (no time limit: a slow machine is not a failure).
  const paths = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    const found: string[] = [];
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`socat did not start (exit ${code}): ${text}`)));
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const m of text.matchAll(/PTY is (\/dev\/\S+)/g))
        if (m[1] && !found.includes(m[1])) found.push(m[1]);
      if (found.length >= 2 && /starting data transfer loop/.test(text)) resolve(found);
    });
  });
  const [hostPts, devicePts] = paths as [string, string];
  return {
    host: links?.host ?? hostPts,
    device: links?.device ?? devicePts,
    process: child,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
