/**
 * A small embedded-Linux device for the tests and for trying credline by hand: Debian's x86-64 kernel under
 * qemu-system-x86_64 with a BusyBox initramfs built here, in a temporary folder, from the static BusyBox of
 * Debian's busybox-static (nothing is downloaded). Its console is a pseudo-terminal; its serial number comes from
 * the firmware tables (`-smbios type=1,serial=…`, read at /sys/class/dmi/id/product_serial); root's password is
 * the factory default `root` in /etc/shadow (SHA-512-crypt) until credline sets it; `login` and `sync` are BusyBox's.
 * With `readOnlyEtc`, /etc is a read-only file system, as on a device whose root is squashfs. With `chpasswd`, the
 * host's shadow-utils `chpasswd` (Debian's passwd package) and the libraries it links are copied in, as on a device
 * whose image has shadow-utils rather than BusyBox's applets only.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha512Crypt } from '../src/crypt/index.js';
import { openSerialTransport, type LineTransport } from '../src/transport/index.js';

export const QEMU_X86 = 'qemu-system-x86_64';
export const BUSYBOX_STATIC = '/bin/busybox';
export const SHADOW_UTILS_CHPASSWD = '/usr/sbin/chpasswd';
/** The password the device ships with (PSTI forbids exactly this: credline replaces it). */
export const FACTORY_PASSWORD = 'root';
/** The console shell's prompt: `/ # ` or `~ # `, followed by BusyBox's cursor-position query while it echoes. */
export const SHELL_PROMPT = new RegExp(String.raw`[#$] (?:\x1b\[6n)?$`);
/** The line the device's init prints once the console shell is about to start. */
const READY_LINE = 'CREDLINE-VM-READY';

export interface LinuxVmOptions {
  /** The serial number in the firmware tables. */
  serial: string;
  /** A folder for the initramfs (created if missing). */
  dir: string;
  readOnlyEtc?: boolean;
  /** Include shadow-utils' chpasswd (from this host's /usr/sbin/chpasswd). */
  chpasswd?: boolean;
  /** The kernel image; default the newest /boot/vmlinuz-*. */
  kernel?: string;
  /** Called with each line of the console while the machine boots (for the script's progress). */
  onBootLine?: (line: string) => void;
}

export interface LinuxVm {
  /** The console pseudo-terminal (e.g. /dev/pts/7). */
  pty: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The newest Debian kernel image in /boot, or undefined. */
export function findKernel(): string | undefined {
  if (!existsSync('/boot')) return undefined;
  const images = readdirSync('/boot')
    .filter((f) => /^vmlinuz-\d/.test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const newest = images.at(-1);
  return newest === undefined ? undefined : join('/boot', newest);
}

function initScript(readOnlyEtc: boolean): string {
  const shadow = `root:${sha512Crypt(FACTORY_PASSWORD, 'factorydefault', 5000)}:19000:0:99999:7:::`;
  return [
    '#!/bin/busybox sh',
    '/bin/busybox --install -s',
    'mount -t proc proc /proc',
    'mount -t sysfs sysfs /sys',
    'mount -t devtmpfs devtmpfs /dev',
    'hostname credline-vm',
    "echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd",
    "echo 'root:x:0:' > /etc/group",
    `echo '${shadow}' > /etc/shadow`,
    'chmod 600 /etc/shadow',
    ...(readOnlyEtc
      ? [
          // /etc becomes a read-only file system holding the same files.
          'cp -a /etc /tmp/etc.factory',
          'mount -t tmpfs -o size=1m etc /etc',
          'cp -a /tmp/etc.factory/. /etc/',
          'mount -o remount,ro /etc',
        ]
      : []),
    `echo ${READY_LINE}`,
    // The console shell, with the console as its controlling terminal (so login and Ctrl-C work); respawned.
    'while :; do setsid cttyhack sh -l; done',
    '',
  ].join('\n');
}

/** Copies a dynamically linked program and every library `ldd` names into `root`, at the same paths. */
function copyWithLibraries(program: string, root: string): void {
  const ldd = execFileSync('ldd', [program], { encoding: 'utf8' });
  const files = [program, ...[...ldd.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1] ?? '')];
  for (const file of files.filter(Boolean)) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    copyFileSync(file, join(root, file));
    chmodSync(join(root, file), 0o755);
  }
}

/** Builds the initramfs (a newc cpio archive) in `dir` and returns its path. */
export function buildInitramfs(dir: string, readOnlyEtc: boolean, chpasswd = false): string {
  const root = join(dir, 'root');
  for (const sub of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'proc', 'sys', 'dev', 'etc', 'root', 'tmp']) {
    mkdirSync(join(root, sub), { recursive: true });
  }
  copyFileSync(BUSYBOX_STATIC, join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  if (chpasswd) copyWithLibraries(SHADOW_UTILS_CHPASSWD, root);
  writeFileSync(join(root, 'init'), initScript(readOnlyEtc), { mode: 0o755 });
  const archive = join(dir, 'initramfs.cpio');
  execFileSync('sh', ['-c', `find . | cpio -o -H newc --quiet > '${archive}'`], { cwd: root });
  return archive;
}

/**
 * Boots the device and returns once its console shows the shell prompt.
 *
 * @example const vm = await startLinuxVm({ serial: 'LX-0001', dir: mkdtempSync('/tmp/vm-') });
 */
export async function startLinuxVm(options: LinuxVmOptions): Promise<LinuxVm> {
  const kernel = options.kernel ?? findKernel();
  if (kernel === undefined) throw new Error('no kernel image in /boot (install linux-image-amd64)');
  if (/[,\s]/.test(options.serial)) throw new Error('the serial must not hold commas or white space');
  mkdirSync(options.dir, { recursive: true });
  const initramfs = buildInitramfs(options.dir, options.readOnlyEtc ?? false, options.chpasswd ?? false);
  const child = spawn(
    QEMU_X86,
    [
      ...['-M', 'pc', '-m', '256', '-nographic', '-monitor', 'none', '-nic', 'none', '-no-reboot'],
      ...['-kernel', kernel, '-initrd', initramfs, '-append', 'console=ttyS0 quiet panic=-1'],
      ...['-smbios', `type=1,serial=${options.serial}`, '-serial', 'pty'],
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
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`qemu exited (${code}): ${text.trim()}`)));
  });
  const vm: LinuxVm = {
    pty,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  try {
    await waitForShell(pty, options.onBootLine);
  } catch (error) {
    await vm.stop();
    throw error;
  }
  return vm;
}

/** Reads the console until init's ready line, then asks for a fresh prompt and waits for it. */
async function waitForShell(pty: string, onBootLine?: (line: string) => void): Promise<void> {
  const console = await openLinuxConsole(pty);
  try {
    // Generous: a kernel under emulation on a loaded machine; a healthy boot takes 4–10 s.
    const bootMs = 300_000;
    for (;;) {
      const line = await console.readLine(bootMs);
      onBootLine?.(line);
      if (line.includes(READY_LINE)) break;
    }
    for (;;) {
      const event = await console.readEvent(bootMs, SHELL_PROMPT);
      if (event.prompt) break;
    }
  } finally {
    await console.close();
  }
}

/** Opens the device's console as a line transport (115200 8N1, Enter sends CR as a terminal does). */
export function openLinuxConsole(pty: string): Promise<LineTransport> {
  return openSerialTransport(pty, {
    baudRate: 115200,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    lineEnding: 'cr',
  });
}
