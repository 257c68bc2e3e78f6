/**
 * Real U-Boot (Debian's u-boot-qemu build for the `virt` board) under qemu-system-arm, its console on a pty.
 * `startUBoot()` boots it and stops autoboot at the `=> ` prompt, so tests (and the station) talk to a real console.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSerialTransport } from '../../src/transport/serial-port.js';
import type { LineTransport } from '../../src/transport/line-transport.js';

export const UBOOT_BIN = '/usr/lib/u-boot/qemu_arm/u-boot.bin';

export interface UBootMachine {
  /** The console pty. */
  pty: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startUBoot(): Promise<UBootMachine> {
  const child = spawn(
    'qemu-system-arm',
    [
      '-M',
      'virt',
      '-m',
      '128',
      '-nographic',
      '-monitor',
      'none',
      '-nic',
      'none',
      '-bios',
      UBOOT_BIN,
      '-serial',
      'pty',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pty = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const m = /redirected to (\/dev\/pts\/\d+)/.exec(text);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`qemu exited (${code}): ${text}`)));
  });
  const machine: UBootMachine = {
    pty,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  const console = await openConsole(pty);
  try {
    // Press Enter until the prompt shows: stops autoboot, or waits for a failed autoboot to return. (The 700 ms is
    // how often Enter is pressed, not a limit: a slow boot only takes more presses.)
    for (;;) {
      if (child.exitCode !== null) throw new Error('QEMU exited before U-Boot showed its => prompt');
      await console.writeRaw('\r');
      const seen = await console.readEvent(700, /=> $/).catch(() => undefined);
      if (seen?.prompt) break;
    }
  } finally {
    await console.close();
  }
  return machine;
}

export async function openConsole(pty: string): Promise<LineTransport> {
  return openSerialTransport(pty, {
    baudRate: 115200,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    lineEnding: 'cr',
  });
}

/** Runs one console command and returns its output lines (echo dropped), once the prompt is back. */
export async function runConsoleCommand(pty: string, command: string): Promise<string[]> {
  const console = await openConsole(pty);
  try {
    console.flushInput();
    await console.writeLine(command);
    const lines: string[] = [];
    for (;;) {
      const event = await console.readEvent(10_000, /=> $/);
      if (event.prompt) break;
      lines.push(event.line);
    }
    return lines.filter((l, i) => !(i === 0 && l.endsWith(command)));
  } finally {
    await console.close();
  }
}
