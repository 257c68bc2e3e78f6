/**
 * `npm run linux-vm -- [--serial S] [--read-only-etc]`: boots the embedded-Linux test device (Debian's kernel and a
 * BusyBox initramfs under qemu-system-x86_64, see linux-vm-machine.ts) and keeps it running until Ctrl-C, so a new
 * user can provision it with the linux-shadow profile and log in on its console. Prints the console's pty and the
 * commands to run; root's password is `root` (the factory default) until credline sets it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FACTORY_PASSWORD, findKernel, startLinuxVm } from './linux-vm-machine.js';

const { values } = parseArgs({
  options: {
    serial: { type: 'string', default: 'LX-0001' },
    'read-only-etc': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run linux-vm -- [--serial LX-0001] [--read-only-etc]');
  process.exit(0);
}

const kernel = findKernel();
if (kernel === undefined) {
  console.error('linux-vm: no kernel image in /boot: sudo apt-get install -y linux-image-amd64');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'credline-linux-vm-'));
console.log(`Booting ${kernel} with a BusyBox initramfs (serial ${values.serial}) ...`);
let vm;
try {
  vm = await startLinuxVm({
    serial: values.serial,
    dir,
    kernel,
    readOnlyEtc: values['read-only-etc'],
  });
} catch (error) {
  rmSync(dir, { recursive: true, force: true });
  console.error(`linux-vm: ${(error as Error).message}`);
  console.error('Needs qemu-system-x86 linux-image-amd64 busybox-static cpio (apt-get install -y ...).');
  process.exit(3);
}
const pty = vm.pty;
console.log(`
The device is up. Its console is ${pty} (115200 8N1); root's password is "${FACTORY_PASSWORD}" for now.

In another terminal:
  npx credline provision --profile linux-shadow --key KEY.ckey --batch LX-TRY --support-end 2031-12-31 \\
      --db try.db --count 1 --port ${pty}
  npx credline derive --key KEY.ckey --profile linux-shadow --serial ${values.serial}
  socat -,rawer,escape=0x1d ${pty}      # the console: press Enter, type "login root" and that password;
                                        # Ctrl-] leaves socat
Ctrl-C here stops the device.`);

let stopping = false;
const stop = async (): Promise<void> => {
  stopping = true;
  await vm.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
vm.process.once('exit', (code) => {
  if (stopping) return;
  console.log(`linux-vm: qemu exited (${code})`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(code === 0 ? 0 : 3);
});
