/**
 * `npm run bench -- orders`: a work order's slots in the central store (reserve mode), on a throwaway PostgreSQL 15
 * cluster on this machine (server and client share its cores; durable: fsync and synchronous_commit on). Prints the
 * cost per unit of a claim and of its settlement (one round trip each, committed) for units that report a serial
 * and for blank units given the next free serial, early in an order and once CREDLINE_BENCH_ORDER_UNITS units
 * (default 10,000) have passed; and two stations claiming at once with four connections each.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  centralTarget,
  claimOrderUnit,
  connectCentral,
  initCentral,
  registerCentralOrder,
  registerStation,
  settleOrderUnit,
  type CentralClient,
  type CentralTarget,
} from '../src/central/index.js';
import { createSignedOrder, orderHashOf } from '../src/orders/index.js';
import { havePostgres, PG_BIN, startPgCluster } from './pg-cluster.js';

const SEED = Uint8Array.from({ length: 32 }, (_, i) => 0x60 + i); // bench order key, not a real key
const PUBLIC_KEY = Buffer.from(ed25519.getPublicKey(SEED)).toString('hex');
const UNITS = Number(process.env['CREDLINE_BENCH_ORDER_UNITS'] ?? 10_000);
const SAMPLE = 1_000;

export async function run(): Promise<void> {
  if (!havePostgres()) {
    console.log(`skipped: no PostgreSQL server binaries in ${PG_BIN} (sudo apt-get install -y postgresql)`);
    return;
  }
  const cluster = await startPgCluster();
  console.log(
    `(load average when starting: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores)`,
  );
  try {
    cluster.psql('CREATE DATABASE bench_orders ENCODING UTF8');
    const target = centralTarget(
      { centralEnv: 'U' },
      { U: cluster.url('bench_orders').replace('@', `:${cluster.adminPassword}@`) },
    );
    await initCentral(target);
    for (const stationId of ['one', 'two'])
      await registerStation(target, { stationId, publicKey: PUBLIC_KEY });
    const client = await connectCentral(target);
    try {
      const quantity = UNITS + 4 * SAMPLE + 16 * SAMPLE;
      await register(client, target, 'WO-BENCH', quantity);
      const pass = (orderId: string, serial: string | null) => cycle(client, target, orderId, serial);
      // Units that report a serial take them from the top of the range; blank units are given them from the bottom.
      let n = quantity + 1;
      const next = (): string => `B-${String(--n).padStart(8, '0')}`;
      report('serial read, early', await sample(() => pass('WO-BENCH', next())));
      report('blank unit, early', await sample(() => pass('WO-BENCH', null)));
      const start = performance.now();
      for (let i = 0; i < UNITS; i++) await pass('WO-BENCH', next());
      const filled = (performance.now() - start) / 1000;
      console.log(`filled ${UNITS.toLocaleString('en-GB')} more PASS units in ${filled.toFixed(1)} s`);
      report(
        `serial read, after ${UNITS.toLocaleString('en-GB')} PASS`,
        await sample(() => pass('WO-BENCH', next())),
      );
      report(
        `blank unit, after ${UNITS.toLocaleString('en-GB')} PASS`,
        await sample(() => pass('WO-BENCH', null)),
      );
      await racing(target, client, 16 * SAMPLE);
    } finally {
      await client.end();
    }
  } finally {
    cluster.destroy();
  }
}

async function register(client: CentralClient, target: CentralTarget, orderId: string, quantity: number) {
  const signed = createSignedOrder(
    {
      orderId,
      product: 'bench',
      profileId: 'acme-cam',
      profileHash: 'a'.repeat(64),
      lineKeyId: 'd9c183eb84616abf',
      serials: { kind: 'range', prefix: 'B-', width: 8, first: 1, last: quantity },
      quantity,
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: '2099-01-01T00:00:00Z',
      stations: ['one', 'two'],
      issuedAt: '2026-01-01T00:00:00Z',
    },
    SEED,
  );
  await registerCentralOrder(client, target, {
    stationId: 'one',
    orderId,
    orderHash: orderHashOf(signed),
    signedOrder: signed,
  });
}

/** One unit: claim, then settle PASS; the two round trips' times in ms. */
async function cycle(
  client: CentralClient,
  target: CentralTarget,
  orderId: string,
  serial: string | null,
  stationId = 'one',
): Promise<[number, number]> {
  const t0 = performance.now();
  const claim = await claimOrderUnit(client, target, { stationId, orderId, serial, port: 'p1' });
  const t1 = performance.now();
  if (!claim.granted) throw new Error(claim.text);
  await settleOrderUnit(client, target, {
    stationId,
    orderId,
    slot: claim.slot,
    use: claim.use,
    outcome: 'pass',
  });
  return [t1 - t0, performance.now() - t1];
}

async function sample(unit: () => Promise<[number, number]>): Promise<[number[], number[]]> {
  const claims: number[] = [];
  const settles: number[] = [];
  for (let i = 0; i < SAMPLE; i++) {
    const [c, s] = await unit();
    claims.push(c);
    settles.push(s);
  }
  return [claims, settles];
}

function quantiles(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): string => (sorted[Math.floor(q * (sorted.length - 1))] as number).toFixed(2);
  return `median ${at(0.5)} ms, p99 ${at(0.99)} ms`;
}

function report(what: string, [claims, settles]: [number[], number[]]): void {
  console.log(
    `order slot, ${what}: claim ${quantiles(claims)}; settle ${quantiles(settles)} (${SAMPLE.toLocaleString('en-GB')} units, one connection)`,
  );
}

/** Two stations, four connections each, claiming and settling `units` of one order at once. */
async function racing(target: CentralTarget, owner: CentralClient, units: number): Promise<void> {
  await register(owner, target, 'WO-RACE', units);
  const clients = await Promise.all(Array.from({ length: 8 }, () => connectCentral(target)));
  let left = units;
  const start = performance.now();
  try {
    await Promise.all(
      clients.map(async (client, i) => {
        while (left > 0) {
          left--;
          await cycle(client, target, 'WO-RACE', null, i % 2 === 0 ? 'one' : 'two');
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `two stations × 4 connections, blank units racing for one order: ${units.toLocaleString('en-GB')} units in ` +
      `${seconds.toFixed(1)} s (${Math.round(units / seconds).toLocaleString('en-GB')} units/s claimed and settled)`,
  );
}
