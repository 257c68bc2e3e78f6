/**
 * The transport contract on real hardware: set TEST_PORT to a serial port with a loopback plug (TX wired to RX),
 * e.g. `TEST_PORT=/dev/ttyUSB0 npx vitest run test/transport`. Skipped when TEST_PORT is not set.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LineTransport } from '../../src/transport/line-transport.js';
import { openSerialTransport } from '../../src/transport/serial-port.js';
import { TransportError } from '../../src/transport/transport-error.js';
import { manualClock } from '../support/manual-clock.js';
import { openObservedTransport } from '../support/observed-port.js';

const port = process.env['TEST_PORT'];
const baudRate = Number(process.env['TEST_BAUD'] ?? 115200);

describe.skipIf(!port)(`transport contract on ${port ?? 'TEST_PORT'} (loopback plug)`, () => {
  let transport: LineTransport | undefined;
  afterEach(async () => {
    await transport?.close();
  });

  it('reads back what it writes, framed into lines, and flushes stale input', async () => {
    const opened = await openObservedTransport(
      port ?? '',
      { baudRate, dataBits: 8, parity: 'none', stopBits: 1, lineEnding: 'crlf' },
      manualClock(), // no time limit runs out: replies are awaited, never raced
    );
    transport = opened.transport;
    await transport.writeLine('stale');
    await opened.bytesIn('stale\r\n'.length); // looped back
    transport.flushInput();
    await transport.writeLine('OK ID serial=LOOPBACK');
    expect(await transport.readLine(2000)).toBe('OK ID serial=LOOPBACK');
  });

  it('times out, flagged as such, when nothing arrives', async () => {
    const clock = manualClock();
    transport = await openSerialTransport(
      port ?? '',
      { baudRate, dataBits: 8, parity: 'none', stopBits: 1, lineEnding: 'lf' },
      clock,
    );
    const reading = transport.readLine(200).catch((e: unknown) => e);
    await clock.waiting();
    clock.advance(200);
    const error = await reading;
    expect((error as TransportError).kind).toBe('timeout');
  });
});
