/**
 * `credline provision --label-format zpl --labels tcp://…` as an operator runs it (simulated units over socat ptys),
 * with a listener on 127.0.0.1 playing a Zebra printer: each PASS has its ZPL label delivered first; a printer
 * reporting paper out makes that unit FAIL `label-failed` and stops the line (exit 3), never a PASS without label.
 */
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { havePrerequisites, SOCAT } from '../support/prerequisites.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { deriveWithCli, PROVISION_TEST_KEY_ARGS, runCliAsync } from '../support/qemu-linux.js';
import { startSim, type SimProcess } from '../support/sim-process.js';

const ready = havePrerequisites('ZPL labels to a TCP printer, end to end', SOCAT);

const HS = (paperOut: 0 | 1): string =>
  `\x02030,${paperOut},0,0200,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n`;

/** A printer on 127.0.0.1: collects each job until the client's half-close, then answers ~HS and closes. */
async function startPrinter(
  paperOutFromJob: number,
): Promise<{ server: Server; url: string; jobs: string[] }> {
  const jobs: string[] = [];
  const server = createServer((socket) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (received += c));
    socket.on('end', () => {
      jobs.push(received);
      socket.end(HS(jobs.length >= paperOutFromJob ? 1 : 0));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `tcp://127.0.0.1:${address.port}`, jobs };
}

describe.skipIf(!ready)('provision --label-format zpl to a TCP printer', () => {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    await Promise.all(pairs.splice(0).map((p) => p.close()));
    for (const s of servers.splice(0)) s.close();
  });

  async function provision(
    printerUrl: string,
    devices: number,
  ): Promise<Awaited<ReturnType<typeof runCliAsync>>> {
    const dir = mkdtempSync(join(tmpdir(), 'credline-zpl-cli-'));
    const pair = await openPtyPair();
    pairs.push(pair);
    sims.push(startSim(['--port', pair.device, '--devices', String(devices), '--swap-gap-ms', '20']));
    return runCliAsync([
      'provision',
      ...[
        '--profile',
        'credline-agent',
        ...PROVISION_TEST_KEY_ARGS,
        '--batch',
        'ZPL',
        '--support-end',
        '2031-12-31',
      ],
      ...['--db', join(dir, 'evidence.db'), '--format', 'jsonl', '--count', String(devices)],
      ...['--labels', printerUrl, '--label-format', 'zpl', '--label-dpi', '300', '--port', pair.host],
    ]);
  }

  const devicesOf = (stdout: string): Array<Record<string, unknown>> =>
    stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['type'] === 'device');

  it('delivers one 300-dpi ZPL label per PASS, carrying the derived password', async () => {
    const printer = await startPrinter(Infinity);
    servers.push(printer.server);
    const run = await provision(printer.url, 2);
    expect(run.code, run.stderr).toBe(0);
    expect(devicesOf(run.stdout).map((d) => d['result'])).toEqual(['PASS', 'PASS']);
    expect(printer.jobs).toHaveLength(2);
    const password = await deriveWithCli('credline-agent', 'SIM1-000001');
    expect(printer.jobs[0]).toContain('^PW591\n^LL295\n');
    expect(printer.jobs[0]).toContain('^FDS/N SIM1-000001^FS');
    expect(printer.jobs[0]).toContain(`^FH_^FD${password}^FS`);
    expect(printer.jobs[0]?.endsWith('^XZ\n~HS')).toBe(true);
  });

  it('a printer out of paper FAILs the unit label-failed and stops the line (exit 3)', async () => {
    const printer = await startPrinter(2);
    servers.push(printer.server);
    const run = await provision(printer.url, 3);
    expect(run.code).toBe(3);
    expect(devicesOf(run.stdout).map((d) => [d['result'], d['reason'] ?? null])).toEqual([
      ['PASS', null],
      ['FAIL', 'label-failed'],
    ]);
    expect(JSON.stringify(devicesOf(run.stdout)[1])).toContain('the printer reports paper out');
  });
});
