/**
 * Labels to a printer's raw TCP port, against a listener on 127.0.0.1 playing the printer: PASS only after the
 * label arrived and the printer closed cleanly; a `~HS` reply, when given, must show nothing that stops printing.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openLabelOutput, parseHostStatus, renderZplLabel } from '../../src/labels/index.js';

const HS_OK =
  '\x02030,0,0,0200,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n';
const HS_PAPER_OUT_HEAD_OPEN =
  '\x02030,1,0,0200,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,1,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n';

type Behaviour = (socket: Socket, received: string) => void;

/** A printer that collects what each connection sends until the client's half-close, then acts. */
async function startPrinter(behaviour: Behaviour): Promise<{ server: Server; port: number; jobs: string[] }> {
  const jobs: string[] = [];
  const server = createServer((socket) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (received += c));
    socket.on('end', () => {
      jobs.push(received);
      behaviour(socket, received);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, jobs };
}

const unit = { serial: 'KL2301-100001', password: 'wNADKmUL9yu5' };

describe('label printer over TCP', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  it('sends the ZPL then ~HS, and resolves after a clean close without a status reply', async () => {
    const printer = await startPrinter((socket) => socket.end());
    servers.push(printer.server);
    const labels = openLabelOutput(`tcp://127.0.0.1:${printer.port}`, { format: 'zpl' });
    await labels.write(unit);
    labels.close();
    expect(printer.jobs).toEqual([`${renderZplLabel(unit)}~HS`]);
  });

  it('resolves when the ~HS reply shows a ready printer', async () => {
    const printer = await startPrinter((socket) => socket.end(HS_OK));
    servers.push(printer.server);
    await openLabelOutput(`tcp://127.0.0.1:${printer.port}`, { format: 'zpl' }).write(unit);
  });

  it('fails (exit 3) when the ~HS reply shows paper out and the head open', async () => {
    const printer = await startPrinter((socket) => socket.end(HS_PAPER_OUT_HEAD_OPEN));
    servers.push(printer.server);
    const write = openLabelOutput(`tcp://127.0.0.1:${printer.port}`, { format: 'zpl' }).write(unit);
    await expect(write).rejects.toMatchObject({
      code: 'LABELS_WRITE',
      exitCode: 3,
      message: `label printer tcp://127.0.0.1:${printer.port}: the printer reports paper out, head open`,
    });
  });

  it('fails when the printer resets the connection instead of closing it', async () => {
    const printer = await startPrinter((socket) => socket.resetAndDestroy());
    servers.push(printer.server);
    await expect(
      openLabelOutput(`tcp://127.0.0.1:${printer.port}`, { format: 'zpl' }).write(unit),
    ).rejects.toThrow(/ECONNRESET/);
  });

  it('fails when nothing listens there', async () => {
    const printer = await startPrinter(() => undefined);
    const { port } = printer;
    printer.server.close();
    await once(printer.server, 'close');
    await expect(openLabelOutput(`tcp://127.0.0.1:${port}`, { format: 'zpl' }).write(unit)).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });

  it('refuses JSON lines to a TCP port and a malformed target', () => {
    expect(() => openLabelOutput('tcp://127.0.0.1:9100')).toThrow(/takes --label-format zpl/);
    expect(() => openLabelOutput('tcp://printer:99999', { format: 'zpl' })).toThrow(
      /expected tcp:\/\/HOST:PORT/,
    );
  });
});

describe('~HS host status', () => {
  it('reads the flags that stop a label', () => {
    expect(parseHostStatus(HS_OK)).toEqual({ ok: true });
    expect(parseHostStatus(HS_PAPER_OUT_HEAD_OPEN)).toEqual({
      ok: false,
      problems: ['paper out', 'head open'],
    });
    expect(parseHostStatus('\x02garbage\x03')).toEqual({
      ok: false,
      problems: ['unreadable ~HS reply (1 of 3 strings)'],
    });
  });
});
