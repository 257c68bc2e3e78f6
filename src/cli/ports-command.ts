/**
 * `credline ports`: the serial ports this machine has, with what the USB layer says of each (maker, serial
 * number, vendor and product id), so an operator can tell which /dev/ttyUSB* is which fixture before
 * `credline provision --port`.
 */
import { type Command, Option } from 'commander';
import { SerialPort } from 'serialport';
import { CredlineError, ExitCode } from '../errors/credline-error.js';

interface PortsOptions {
  format: 'text' | 'json';
}

type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export function registerPortsCommand(program: Command): void {
  program
    .command('ports')
    .description('list the serial ports on this machine (for provision --port)')
    .addOption(new Option('--format <FORMAT>', 'output').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n  credline ports\n  credline ports --format json\n\n' +
        'USB serial adapters appear as /dev/ttyUSB<n> or /dev/ttyACM<n> once plugged in; details come from udev.',
    )
    .action(async (opts: PortsOptions) => {
      const ports = await listPorts();
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(ports, null, 2)}\n`);
        return;
      }
      if (ports.length === 0) {
        process.stdout.write(
          'no serial ports found (plug in the fixture; USB adapters show as /dev/ttyUSB*)\n',
        );
        return;
      }
      for (const port of ports) process.stdout.write(`${describePort(port)}\n`);
    });
}

async function listPorts(): Promise<PortInfo[]> {
  try {
    return await SerialPort.list();
  } catch (error) {
    const missingUdev = /udevadm|ENOENT/.test(String((error as Error).message ?? error));
    throw new CredlineError(
      'PORTS_LIST',
      missingUdev
        ? 'listing serial ports needs udevadm (sudo apt-get install -y udev)'
        : `cannot list serial ports: ${(error as Error).message}`,
      { exitCode: missingUdev ? ExitCode.usage : ExitCode.transport },
    );
  }
}

/** One line: the path, then what is known of the device behind it. */
function describePort(port: PortInfo): string {
  const usb = port.vendorId && port.productId ? `USB ${port.vendorId}:${port.productId}` : undefined;
  const facts = [
    port.manufacturer,
    usb,
    port.serialNumber ? `serial ${port.serialNumber}` : undefined,
    port.pnpId,
  ].filter((fact): fact is string => !!fact);
  return facts.length > 0
    ? `${port.path}  ${facts.join(', ')}`
    : `${port.path}  (no USB details: a built-in UART)`;
}
