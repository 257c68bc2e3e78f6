/**
 * connectCentral against a server that never answers (a host dropping packets, as a firewall does): the wait ends
 * after connect_timeout with one clear line, exit 3, instead of holding a run's last push for ever.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralTarget, connectCentral } from '../../src/central/index.js';

describe('connecting to the central store', () => {
  let silent: Server;
  let port = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    silent = createServer((socket) => void sockets.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up on a server that never answers after connect_timeout, exit 3, naming the wait', async () => {
    const target = centralTarget({
      central: `postgresql://line1@127.0.0.1:${port}/credline?connect_timeout=1`,
    });
    await expect(connectCentral(target)).rejects.toMatchObject({
      code: 'CENTRAL_UNREACHABLE',
      exitCode: 3,
      message: `postgresql://line1@127.0.0.1:${port}/credline: no answer within 1 s (connect_timeout in the URL, or PGCONNECT_TIMEOUT, sets how long to wait)`,
    });
  });

  it('refuses a connect_timeout that is not a whole number of seconds', async () => {
    const target = centralTarget({
      central: `postgresql://line1@127.0.0.1:${port}/credline?connect_timeout=soon`,
    });
    await expect(connectCentral(target)).rejects.toMatchObject({
      code: 'CENTRAL_URL',
      exitCode: 2,
      message: '--central: connect_timeout expected a whole number of seconds, found "soon"',
    });
  });
});
