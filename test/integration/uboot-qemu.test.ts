/**
 * The u-boot profile against real U-Boot (Debian u-boot-qemu, qemu-system-arm -M virt) over its console pty:
 * an unset serial# FAILs clearly; env set + printenv verify work; QEMU's emulated flash makes saveenv fail, which
 * credline reports as FAIL commit-failed; the same flow without the commit step PASSes. Also shows, on the real
 * console, why values are quoted: an unquoted `;` runs a second command.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { havePrerequisites, QEMU_ARM, SOCAT, UBOOT_QEMU_ARM } from '../support/prerequisites.js';
import { runConsoleCommand, startUBoot, type UBootMachine } from '../support/qemu-uboot.js';
import { patientProfile } from '../support/hold.js';
import { runTestStation, TEST_VECTOR_LINE_KEY } from '../support/station-harness.js';

const ready = havePrerequisites('U-Boot console tests under QEMU', QEMU_ARM, UBOOT_QEMU_ARM, SOCAT);

describe.skipIf(!ready)('u-boot profile on real U-Boot under QEMU', () => {
  let machine: UBootMachine;
  const dir = mkdtempSync(join(tmpdir(), 'credline-uboot-'));
  const serial = `QEMU-${Date.now().toString(36).toUpperCase()}`;

  beforeAll(async () => {
    machine = await startUBoot();
  });
  afterAll(async () => {
    await machine?.stop();
  });

  it('FAILs clearly (serial-unset) when serial# is not set, writing nothing', async () => {
    const run = await runTestStation({
      profile: patientProfile('u-boot'),
      ports: [machine.pty],
      count: 1,
      dir,
      batchId: 'UBOOT-A',
    });
    run.store.close();
    expect(run.devices).toMatchObject([{ result: 'FAIL', serial: null, reason: 'serial-unset' }]);
    expect(run.devices[0]?.detail).toContain('"serial#" not defined');
    expect(await runConsoleCommand(machine.pty, 'printenv credline_pw')).toEqual([
      '## Error: "credline_pw" not defined',
    ]);
  });

  it('an unquoted ; runs a second command on the real console (why the profile quotes values)', async () => {
    expect(await runConsoleCommand(machine.pty, 'env set credline_probe a;echo INJECTED')).toEqual([
      'INJECTED',
    ]);
    expect(await runConsoleCommand(machine.pty, "env set credline_probe 'a;echo INJECTED'")).toEqual([]);
    expect(await runConsoleCommand(machine.pty, 'printenv credline_probe')).toEqual([
      'credline_probe=a;echo INJECTED',
    ]);
  });

  it('writes and verifies the password, then reports QEMU flash refusing saveenv as FAIL commit-failed', async () => {
    expect(await runConsoleCommand(machine.pty, `env set serial# ${serial}`)).toEqual([]);
    const run = await runTestStation({
      profile: patientProfile('u-boot'),
      ports: [machine.pty],
      count: 1,
      dir,
      batchId: 'UBOOT-B',
    });
    run.store.close();
    expect(run.devices).toMatchObject([{ result: 'FAIL', serial, reason: 'commit-failed' }]);
    expect(run.devices[0]?.detail).toMatch(/Failed|Error/);
    // The value did reach the console intact (verified by printenv before the commit was tried).
    const expected = createPasswordDeriver(TEST_VECTOR_LINE_KEY, {
      profileId: 'u-boot',
      alphabet: '23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ',
      length: 12,
    })(serial).password;
    expect(await runConsoleCommand(machine.pty, 'printenv credline_pw')).toEqual([`credline_pw=${expected}`]);
    expect(JSON.stringify(run.trace)).not.toContain(expected ?? '(none)');
  });

  it('PASSes with the u-boot-nocommit profile variant', async () => {
    const run = await runTestStation({
      profile: patientProfile('u-boot-nocommit'),
      ports: [machine.pty],
      count: 1,
      dir,
      batchId: 'UBOOT-C',
    });
    try {
      expect(run.devices).toMatchObject([{ result: 'PASS', serial }]);
      expect(run.store.findPass(serial, 'd9c183eb84616abf')?.readbackVerified).toBe(true);
    } finally {
      run.store.close();
    }
  });
});
