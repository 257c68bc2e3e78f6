/**
 * A real serial port (or pty) as a line transport whose received byte count a test can wait on: "the stale bytes
 * are in" is an event, not a sleep.
 */
import { SerialPort } from 'serialport';
import type { SerialPortSettings } from '../../src/profiles/profile-types.js';
import {
  type BytePort,
  LINE_ENDINGS,
  LineTransport,
  type TransportClock,
} from '../../src/transport/line-transport.js';
import { wrapSerialPort } from '../../src/transport/serial-port.js';

export async function openObservedTransport(
  path: string,
  settings: SerialPortSettings,
  clock?: TransportClock,
): Promise<{ transport: LineTransport; bytesIn: (count: number) => Promise<void> }> {
  const port = new SerialPort({ ...settings, path, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const bytes = wrapSerialPort(port);
  let received = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const observed: BytePort = {
    ...bytes,
    onData: (listener) =>
      bytes.onData((chunk) => {
        listener(chunk);
        received += chunk.length;
        for (const waiter of waiters.filter((w) => received >= w.count)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }),
  };
  return {
    transport: new LineTransport(path, observed, LINE_ENDINGS[settings.lineEnding], clock),
    /** Resolves once `count` bytes in all have been received (and framed). */
    bytesIn: (count) =>
      received >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}
