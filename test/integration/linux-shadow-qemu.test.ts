/**
 * The linux-shadow and linux-file profiles against a real Linux console: Debian's kernel and a BusyBox initramfs
 * under qemu-system-x86_64 (scripts/linux-vm-machine.ts), its serial in the firmware tables. `credline provision`
 * runs as an operator runs it; the proof is the device's own `login` on its console accepting the derived password
 * (and refusing a wrong one and the factory default), not only the shadow line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTORY_PASSWORD, startLinuxVm, type LinuxVm } from '../../scripts/linux-vm-machine.js';
import {
  deriveWithCli,
  haveLinuxVmPrerequisites,
  loginAtConsole,
  runCliAsync,
  runOnConsole,
  PROVISION_TEST_KEY_ARGS,
} from '../support/qemu-linux.js';

const ready = haveLinuxVmPrerequisites('Linux console tests under QEMU');

function provisionArgs(dir: string, profile: string, pty: string, name = profile): string[] {
  return [
    'provision',
    '--profile',
    profile,
    ...PROVISION_TEST_KEY_ARGS,
    '--batch',
    `B-${name}`,
    '--support-end',
    '2031-12-31',
    '--db',
    join(dir, `${name}.db`),
    '--station',
    'linux-qemu',
    '--format',
    'jsonl',
    '--count',
    '1',
    '--trace',
    join(dir, `${name}.trace`),
    '--labels',
    join(dir, `${name}.labels.jsonl`),
    '--port',
    pty,
  ];
}

function pythonCryptAccepts(password: string, crypt: string): boolean {
  const script = 'import crypt, sys; print(crypt.crypt(sys.argv[1], sys.argv[2]) == sys.argv[2])';
  return (
    execFileSync('python3', ['-W', 'ignore', '-c', script, password, crypt], { encoding: 'utf8' }).trim() ===
    'True'
  );
}

/** Every file the run left in `dir`, as bytes, must not hold `secret` (the label file is the one exception). */
function expectNowhereBut(dir: string, secret: string, except: string): void {
  for (const name of readdirSync(dir)) {
    if (name === except || name === 'vm') continue;
    expect(readFileSync(join(dir, name)).includes(secret), name).toBe(false);
  }
}

describe.skipIf(!ready)('linux-shadow on a real Linux console under QEMU', () => {
  let vm: LinuxVm;
  const dir = mkdtempSync(join(tmpdir(), 'credline-linux-'));
  const serial = `LX-${Date.now().toString(36).toUpperCase()}`;

  beforeAll(async () => {
    vm = await startLinuxVm({ serial, dir: join(dir, 'vm') });
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('ships with the factory default, which its login accepts', async () => {
    expect(await loginAtConsole(vm.pty, 'root', FACTORY_PASSWORD)).toMatchObject({
      accepted: true,
      uid: '0',
    });
  });

  it('provisions root in /etc/shadow through credline provision (PASS, login check included)', async () => {
    const run = await runCliAsync(provisionArgs(dir, 'linux-shadow', vm.pty));
    const devices = run.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['result'] !== undefined);
    expect(devices, run.stderr).toMatchObject([{ result: 'PASS', serial }]);
    expect(run.code).toBe(0);
    const trace = readFileSync(join(dir, 'linux-shadow.trace'), 'utf8');
    expect(trace).toContain('login "$CREDLINE_USER"');
    expect(trace).toContain('[redacted]');
  });

  it("the device's own login accepts the password credline derive prints, and refuses a wrong one and the old default", async () => {
    const password = await deriveWithCli('linux-shadow', serial);
    expect(password).toMatch(/^[2-9a-km-zA-HJ-NP-Z]{12}$/);
    const good = await loginAtConsole(vm.pty, 'root', password);
    expect(good, good.lines.join('\n')).toMatchObject({ accepted: true, uid: '0' });
    const wrong = await loginAtConsole(vm.pty, 'root', `${password.slice(0, -1)}x`);
    expect(wrong.accepted).toBe(false);
    expect(wrong.lines.join('\n')).toContain('Login incorrect');
    expect((await loginAtConsole(vm.pty, 'root', FACTORY_PASSWORD)).accepted).toBe(false);

    // The shadow line is a fresh-salted SHA-512-crypt string that libxcrypt agrees on; no file credline wrote
    // holds it or the password, except the password on the label.
    const [line] = (await runOnConsole(vm.pty, 'grep ^root: /etc/shadow')).filter((l) =>
      l.startsWith('root:'),
    );
    const crypt = line?.split(':')[1] ?? '';
    expect(crypt).toMatch(/^\$6\$rounds=5000\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(pythonCryptAccepts(password, crypt)).toBe(true);
    expectNowhereBut(dir, crypt, '');
    expectNowhereBut(dir, password, 'linux-shadow.labels.jsonl');
    expect(readFileSync(join(dir, 'linux-shadow.labels.jsonl'), 'utf8')).toContain(password);
  });

  it('linux-file writes an application password file (bcrypt, 0600) that verifies against the derived password', async () => {
    const run = await runCliAsync(provisionArgs(dir, 'linux-file', vm.pty));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const password = await deriveWithCli('linux-file', serial);
    const out = await runOnConsole(
      vm.pty,
      'stat -c "MODE=%a" /etc/credline-app/admin.passwd; cat /etc/credline-app/admin.passwd',
    );
    expect(out).toContain('MODE=600');
    const crypt = out.find((l) => l.startsWith('admin:'))?.slice('admin:'.length) ?? '';
    expect(crypt).toMatch(/^\$2b\$10\$[./0-9A-Za-z]{53}$/);
    expect(pythonCryptAccepts(password, crypt)).toBe(true);
    expect(pythonCryptAccepts(`${password}x`, crypt)).toBe(false);
  });

  // Last: it leaves the console at BusyBox login's `login:` prompt.
  it('FAILs login-refused when the shadow line is written but the device cannot verify it (bcrypt on BusyBox)', async () => {
    const profile = JSON.parse(
      readFileSync(join(__dirname, '../../device-profiles/linux-shadow.json'), 'utf8'),
    ) as Record<string, unknown>;
    const file = join(dir, 'linux-shadow-bcrypt.json');
    writeFileSync(
      file,
      JSON.stringify({ ...profile, id: 'linux-shadow-bcrypt', store: { kind: 'bcrypt', cost: 4 } }),
    );
    const run = await runCliAsync(provisionArgs(dir, file, vm.pty, 'linux-shadow-bcrypt'));
    expect(run.code, run.stderr).toBe(1);
    const devices = run.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['result'] !== undefined);
    expect(devices).toMatchObject([{ result: 'FAIL', serial, reason: 'login-refused' }]);
    expect(String(devices[0]?.['detail'])).toMatch(/^loginCheck: device said: .*(Login incorrect|bad salt)/);
  });
});
