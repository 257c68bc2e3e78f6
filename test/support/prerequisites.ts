/**
 * Integration tests need system tools (socat for pseudo-terminal pairs, QEMU and U-Boot for the real console,
 * SoftHSM2 as the PKCS#11 token).
 * Outside CI a missing tool skips those tests with a visible notice naming the package; under CI=true it fails.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export interface Prerequisite {
  /** A command on PATH, or an absolute file path. */
  tool: string;
  /** The Debian/Ubuntu package that provides it. */
  aptPackage: string;
  /** A command that must also succeed (e.g. a Python module that must import). */
  probe?: readonly string[];
}

export const SOCAT: Prerequisite = { tool: 'socat', aptPackage: 'socat' };
export const UDEVADM: Prerequisite = { tool: 'udevadm', aptPackage: 'udev' };
export const QEMU_ARM: Prerequisite = { tool: 'qemu-system-arm', aptPackage: 'qemu-system-arm' };
/** Debian's Chromium, driven by playwright-core for the web console tests (no browser download). */
export const CHROMIUM: Prerequisite = { tool: '/usr/bin/chromium', aptPackage: 'chromium' };
export const UBOOT_QEMU_ARM: Prerequisite = {
  tool: '/usr/lib/u-boot/qemu_arm/u-boot.bin',
  aptPackage: 'u-boot-qemu',
};

export const QEMU_X86: Prerequisite = { tool: 'qemu-system-x86_64', aptPackage: 'qemu-system-x86' };
export const BUSYBOX_STATIC: Prerequisite = { tool: '/bin/busybox', aptPackage: 'busybox-static' };
export const CPIO: Prerequisite = { tool: 'cpio', aptPackage: 'cpio' };

/** Python's crypt module (libxcrypt underneath): deprecated, but present up to Python 3.12. */
export const PYTHON3_CRYPT: Prerequisite = {
  tool: 'python3',
  aptPackage: 'python3',
  probe: ['-W', 'ignore', '-c', 'import crypt'],
};
export const SOFTHSM2: Prerequisite = { tool: '/usr/lib/softhsm/libsofthsm2.so', aptPackage: 'softhsm2' };
export const SOFTHSM2_UTIL: Prerequisite = { tool: 'softhsm2-util', aptPackage: 'softhsm2' };

export function isAvailable(p: Prerequisite): boolean {
  if (p.tool.startsWith('/')) {
    try {
      accessSync(p.tool, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  }
  try {
    execFileSync('sh', ['-c', `command -v ${p.tool}`], { stdio: 'ignore' });
    if (p.probe) execFileSync(p.tool, p.probe, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * True when every prerequisite is there. When one is missing: under CI=true throws (the test file fails); otherwise
 * prints a notice naming the package and returns false (use with `describe.skipIf`).
 */
export function havePrerequisites(what: string, ...prerequisites: Prerequisite[]): boolean {
  const missing = prerequisites.filter((p) => !isAvailable(p));
  if (missing.length === 0) return true;
  const packages = missing.map((p) => p.aptPackage).join(' ');
  const message = `${what}: missing ${missing.map((p) => p.tool).join(', ')} (install with: sudo apt-get install -y ${packages})`;
  if (process.env['CI'] === 'true') throw new Error(`prerequisite missing under CI: ${message}`);
  console.warn(`\n*** SKIPPED ${message}\n`);
  return false;
}
