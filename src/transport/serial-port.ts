/**
 * Opens a real serial port (or a pseudo-terminal) through node-serialport and wraps it as a {@link LineTransport}.
 */
import { SerialPort } from 'serialport';
import type { SerialPortSettings } from '../profiles/index.js';
import { endReadsAtHangUp } from './hang-up.js';
import { type BytePort, LINE_ENDINGS, LineTransport, type TransportClock } from './line-transport.js';
import { portHolders } from './port-holders.js';
import { TransportError } from './transport-error.js';

/**
 * Opens `path` with the profile's settings.
 *
 * @example const t = await openSerialTransport('/dev/ttyUSB0', profile.serialPort);
 */
export async function openSerialTransport(
  path: string,
  settings: SerialPortSettings,
  clock?: TransportClock,
): Promise<LineTransport> {
  const port = new SerialPort({
    path,
    baudRate: settings.baudRate,
    dataBits: settings.dataBits,
    parity: settings.parity,
    stopBits: settings.stopBits,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => {
    port.open((error) => {
      if (error)
        reject(
          new TransportError('disconnected', `cannot open ${path}: ${openErrorText(error, path)}`, error),
        );
      else resolve();
    });
  });
  return new LineTransport(path, wrapSerialPort(port), LINE_ENDINGS[settings.lineEnding], clock);
}

/**
 * node-serialport's open error ("Error: No such file or directory, cannot open /dev/x") as a short phrase: a port
 * that does not exist says so, and a port another process holds (node-serialport locks ports) says which.
 */
function openErrorText(error: Error, path: string): string {
  if (/no such file or directory/i.test(error.message)) return 'the port does not exist';
  if (/cannot lock port|resource busy/i.test(error.message)) {
    const holders = portHolders(path);
    return holders.length === 0
      ? 'the port is held by another process'
      : `the port is held by another process: ${holders.map((h) => `pid ${h.pid} (${h.command})`).join(', ')}`;
  }
  const text = error.message.replace(/^Error: /, '').replace(`, cannot open ${path}`, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Adapts node-serialport's (open) stream to the {@link BytePort} seam. */
export function wrapSerialPort(port: SerialPort): BytePort {
  endReadsAtHangUp(port);
  return {
    write: (bytes) =>
      new Promise((resolve, reject) => {
        port.write(Buffer.from(bytes), (error) => (error ? reject(error) : resolve()));
      }),
    onData: (listener) => port.on('data', (chunk: Buffer) => listener(chunk)),
    onClose: (listener) => {
      port.on('close', (error?: Error | null) => listener(error ?? undefined));
      // An error on a port that is still open (a failed write) is reported by the write itself.
      port.on('error', (error: Error) => {
        if (!port.isOpen) listener(error);
      });
    },
    close: () =>
      new Promise((resolve) => {
        if (!port.isOpen) resolve();
        else port.close(() => resolve());
      }),
  };
}
