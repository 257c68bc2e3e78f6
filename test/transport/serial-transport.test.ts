import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { LineTransport } from '../../src/transport/line-transport.js';
import { openSerialTransport, wrapSerialPort } from '../../src/transport/serial-port.js';
import { TransportError } from '../../src/transport/transport-error.js';
import { manualClock, type ManualClock } from '../support/manual-clock.js';
import { openObservedTransport } from '../support/observed-port.js';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';

const settings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, lineEnding: 'lf' } as const;
const ready = havePrerequisites('transport tests over pseudo-terminals', SOCAT);

describe.skipIf(!ready)('serial transport over a socat pty pair', () => {
  let pair: PtyPair | undefined;
  const open: LineTransport[] = [];
  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
    await pair?.close();
  });

  /** Time limits on the host run on a clock that moves only when a test advances it. */
  async function connect(): Promise<{
    host: LineTransport;
    device: LineTransport;
    clock: ManualClock;
    bytesIn: (count: number) => Promise<void>;
  }> {
    pair = await openPtyPair();
    const clock = manualClock();
    const { transport: host, bytesIn } = await openObservedTransport(pair.host, settings, clock);
    const device = await openSerialTransport(pair.device, settings, manualClock());
    open.push(host, device);
    return { host, device, clock, bytesIn };
  }

  it('carries lines both ways', async () => {
    const { host, device } = await connect();
    await host.writeLine('ID');
    expect(await device.readLine(2000)).toBe('ID');
    await device.writeRaw('OK ID serial=A\r');
    await device.writeRaw('\n');
    expect(await host.readLine(2000)).toBe('OK ID serial=A');
  });

  it('throws a timeout error, flagged as such, when nothing arrives', async () => {
    const { host, clock } = await connect();
    const reading = host.readLine(100).catch((e: unknown) => e);
    await clock.waiting();
    clock.advance(99);
    clock.advance(1);
    const error = await reading;
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('timeout');
  });

  it('flushInput drops stale lines and half lines', async () => {
    const { host, device, bytesIn } = await connect();
    const stale = 'stale 1\nstale 2\nhalf';
    await device.writeRaw(stale);
    await bytesIn(stale.length);
    host.flushInput();
    await device.writeRaw('fresh\n');
    expect(await host.readLine(2000)).toBe('fresh');
  });

  it('reports a prompt (an unterminated line) when asked for one', async () => {
    const { host, device } = await connect();
    await device.writeRaw('serial#=X1\r\n=> ');
    expect(await host.readEvent(2000, /^=> $/)).toEqual({ line: 'serial#=X1' });
    expect(await host.readEvent(2000, /^=> $/)).toEqual({ prompt: true });
  });

  it('reports a disconnect when the other end vanishes', async () => {
    const { host } = await connect();
    await pair?.close();
    const error = await host.readLine(3000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('disconnected');
  });

  it('reports a line already hung up when first read as disconnected (a 0-byte read is end of file)', async () => {
    pair = await openPtyPair();
    const port = new SerialPort({ path: pair.host, baudRate: settings.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    await pair.close(); // the other end is gone and the tty hung up before anything reads it
    const host = new LineTransport(pair.host, wrapSerialPort(port), '\n', manualClock());
    open.push(host);
    const error = await host.readLine(3000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('disconnected');
  });
});
