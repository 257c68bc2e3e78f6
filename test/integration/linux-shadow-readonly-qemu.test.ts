/**
 * linux-shadow on a device whose /etc is a read-only file system (as on a squashfs root): the write is refused on
 * the device, so the unit FAILs with a reason and no label, the evidence records the FAIL, and the device keeps
 * its old password. One VM for this file (scripts/linux-vm-machine.ts with readOnlyEtc).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTORY_PASSWORD, startLinuxVm, type LinuxVm } from '../../scripts/linux-vm-machine.js';
import {
  deriveWithCli,
  haveLinuxVmPrerequisites,
  loginAtConsole,
  runCliAsync,
  PROVISION_TEST_KEY_ARGS,
} from '../support/qemu-linux.js';

const ready = haveLinuxVmPrerequisites('Linux console tests under QEMU (read-only /etc)');

describe.skipIf(!ready)('linux-shadow on a device with a read-only /etc/shadow', () => {
  let vm: LinuxVm;
  const dir = mkdtempSync(join(tmpdir(), 'credline-linux-ro-'));
  const serial = `LXRO-${Date.now().toString(36).toUpperCase()}`;

  beforeAll(async () => {
    vm = await startLinuxVm({ serial, dir: join(dir, 'vm'), readOnlyEtc: true });
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('FAILs with shadow-not-writable, writes no label, records the FAIL, and the old password stays', async () => {
    const db = join(dir, 'evidence.db');
    const labels = join(dir, 'labels.jsonl');
    const run = await runCliAsync([
      'provision',
      '--profile',
      'linux-shadow',
      ...PROVISION_TEST_KEY_ARGS,
      ...['--batch', 'B-RO', '--support-end', '2031-12-31', '--db', db, '--station', 'linux-qemu-ro'],
      ...['--format', 'jsonl', '--count', '1', '--labels', labels, '--port', vm.pty],
    ]);
    expect(run.code, run.stderr).toBe(1);
    const devices = run.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['result'] !== undefined);
    expect(devices).toMatchObject([{ result: 'FAIL', serial, reason: 'shadow-not-writable' }]);
    expect(String(devices[0]?.['detail'])).toContain('Read-only file system');
    expect(existsSync(labels) ? readFileSync(labels, 'utf8') : '').toBe('');

    const shown = await runCliAsync(['evidence', 'show', serial, '--db', db, '--format', 'jsonl']);
    const events = shown.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e['result']).filter(Boolean)).toEqual(['FAIL']);
    expect(JSON.stringify(events)).toContain('shadow-not-writable');
    const password = await deriveWithCli('linux-shadow', serial);
    expect((await loginAtConsole(vm.pty, 'root', password)).accepted).toBe(false);
    expect((await loginAtConsole(vm.pty, 'root', FACTORY_PASSWORD)).accepted).toBe(true);
  });
});
