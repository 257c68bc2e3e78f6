/**
 * linux-shadow on a device with shadow-utils' `chpasswd` (Debian's, copied into the initramfs with its libraries):
 * the profile takes its `chpasswd -e` branch, and the device's own login accepts the derived password. One VM.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FACTORY_PASSWORD,
  SHADOW_UTILS_CHPASSWD,
  startLinuxVm,
  type LinuxVm,
} from '../../scripts/linux-vm-machine.js';
import { havePrerequisites } from '../support/prerequisites.js';
import {
  deriveWithCli,
  haveLinuxVmPrerequisites,
  loginAtConsole,
  runCliAsync,
  PROVISION_TEST_KEY_ARGS,
  runOnConsole,
} from '../support/qemu-linux.js';

const ready =
  haveLinuxVmPrerequisites('Linux console tests under QEMU (chpasswd)') &&
  havePrerequisites('Linux console tests under QEMU (chpasswd)', {
    tool: SHADOW_UTILS_CHPASSWD,
    aptPackage: 'passwd',
  });

describe.skipIf(!ready)('linux-shadow on a device with chpasswd', () => {
  let vm: LinuxVm;
  const dir = mkdtempSync(join(tmpdir(), 'credline-linux-chpasswd-'));
  const serial = `LXCP-${Date.now().toString(36).toUpperCase()}`;

  beforeAll(async () => {
    vm = await startLinuxVm({ serial, dir: join(dir, 'vm'), chpasswd: true });
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('sets the password with chpasswd -e (PASS), and only the derived password logs in', async () => {
    expect(await runOnConsole(vm.pty, 'command -v chpasswd')).toEqual(['/usr/sbin/chpasswd']);
    const run = await runCliAsync([
      'provision',
      '--profile',
      'linux-shadow',
      ...PROVISION_TEST_KEY_ARGS,
      ...['--batch', 'B-CP', '--support-end', '2031-12-31', '--db', join(dir, 'evidence.db')],
      ...['--format', 'jsonl', '--count', '1', '--port', vm.pty],
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // shadow-utils keeps the previous file as /etc/shadow- (BusyBox sed does not): chpasswd did the write.
    expect(await runOnConsole(vm.pty, 'grep -c "^root:" /etc/shadow-')).toEqual(['1']);
    const password = await deriveWithCli('linux-shadow', serial);
    expect((await loginAtConsole(vm.pty, 'root', password)).accepted).toBe(true);
    expect((await loginAtConsole(vm.pty, 'root', FACTORY_PASSWORD)).accepted).toBe(false);
  });
});
