/**
 * The embedded-Linux test device (scripts/linux-vm-machine.ts) for the tests: its prerequisites, `credline
 * provision` run against its console as an operator runs it, and a login on its console as a person types it.
 */
import { HANG_MS } from './hang.js';
import { spawn } from 'node:child_process';
import { findKernel, openLinuxConsole, SHELL_PROMPT } from '../../scripts/linux-vm-machine.js';
import { CLI } from './sim-process.js';
import { BUSYBOX_STATIC, CPIO, havePrerequisites, PYTHON3_CRYPT, QEMU_X86 } from './prerequisites.js';
import { TEST_KEY, TEST_PASSPHRASE_FILE } from '../cli/run-cli.js';

/** True when QEMU, a readable kernel image, static BusyBox, cpio and Python's crypt are here (see havePrerequisites). */
export function haveLinuxVmPrerequisites(what: string): boolean {
  const kernel = { tool: findKernel() ?? '/boot/vmlinuz-*', aptPackage: 'linux-image-amd64' };
  return havePrerequisites(what, QEMU_X86, kernel, BUSYBOX_STATIC, CPIO, PYTHON3_CRYPT);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in a child process without blocking the event loop (the VM keeps running meanwhile). */
export function runCliAsync(args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The key options for the public test-vector key (never a real line key). */
export const TEST_KEY_ARGS = ['--key', TEST_KEY, '--passphrase-file', TEST_PASSPHRASE_FILE];
/** `provision` refuses the published test-vector key unless told: tests say so. */
export const PROVISION_TEST_KEY_ARGS = [...TEST_KEY_ARGS, '--allow-test-key'];

/** `credline derive` for one serial, as the README tells a new user. */
export async function deriveWithCli(profile: string, serial: string): Promise<string> {
  const run = await runCliAsync(['derive', ...TEST_KEY_ARGS, '--profile', profile, '--serial', serial]);
  if (run.code !== 0) throw new Error(`derive failed (${run.code}): ${run.stderr}`);
  return run.stdout.trim();
}

export interface LoginAttempt {
  /** The device started a shell for the user. */
  accepted: boolean;
  /** The user id the shell reported (`id -u`), when accepted. */
  uid?: string;
  /** Every console line seen, for failure messages. */
  lines: string[];
}

const PASSWORD_PROMPT = /[Pp]assword: ?$/;
const LOGIN_PROMPT = /login: ?$/;
/** A hang detector only: each step waits for the console's prompt or line. */
const STEP_MS = HANG_MS;

/**
 * Types `login USER` on the console, then the password at its `Password:` prompt, as a person would. Accepted:
 * a shell starts (its `id -u` is read, then it exits back to the console shell). Refused: `Login incorrect`, then
 * Ctrl-C at the next `login:` prompt returns to the console shell.
 */
export async function loginAtConsole(pty: string, user: string, password: string): Promise<LoginAttempt> {
  const console = await openLinuxConsole(pty);
  const lines: string[] = [];
  const until = async (prompt: RegExp, stopAt?: RegExp): Promise<'prompt' | 'line'> => {
    for (;;) {
      const event = await console.readEvent(STEP_MS, prompt);
      if (event.prompt) return 'prompt';
      lines.push(event.line);
      if (stopAt?.test(event.line)) return 'line';
    }
  };
  try {
    console.flushInput();
    await console.writeLine(`login ${user}`);
    await until(PASSWORD_PROMPT);
    await console.writeLine(password);
    if ((await until(SHELL_PROMPT, /Login incorrect|bad salt/)) === 'line') {
      await until(LOGIN_PROMPT);
      await console.writeRaw('\x03');
      await until(SHELL_PROMPT);
      return { accepted: false, lines };
    }
    await console.writeLine('echo "CREDLINE-UID=$(id -u)"');
    const before = lines.length;
    await until(SHELL_PROMPT);
    const uid = lines
      .slice(before)
      .map((l) => /^CREDLINE-UID=(\d+)$/.exec(l)?.[1])
      .find((u) => u !== undefined);
    await console.writeLine('exit');
    await until(SHELL_PROMPT);
    return { accepted: true, ...(uid === undefined ? {} : { uid }), lines };
  } finally {
    await console.close();
  }
}

/** Runs one command on the console shell and returns its output lines (the echo, when there is one, dropped). */
export async function runOnConsole(pty: string, command: string): Promise<string[]> {
  const console = await openLinuxConsole(pty);
  try {
    console.flushInput();
    await console.writeLine(command);
    const lines: string[] = [];
    for (;;) {
      const event = await console.readEvent(STEP_MS, SHELL_PROMPT);
      if (event.prompt) break;
      lines.push(event.line);
    }
    return lines.filter((l) => !l.endsWith(command));
  } finally {
    await console.close();
  }
}
