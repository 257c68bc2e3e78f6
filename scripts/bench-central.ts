/**
 * `npm run bench -- central`: the central store on a throwaway PostgreSQL 15 cluster on this machine (server and
 * client share its cores). Prints: push of 1,000,000 events from one station file by COPY and by batched INSERTs
 * (each into a fresh database), a `--full` re-push of them, a central CSV export of a 1,000,000-event batch spread
 * over 4 stations (time and peak RSS of the CLI in a child process), reserve-mode cost per unit, and how ingest
 * and lookup costs grow as the store grows to CREDLINE_BENCH_CENTRAL_ROWS rows (default 10,000,000).
 * The server runs durable (fsync and synchronous_commit on) with shared_buffers 1 GB and max_wal_size 8 GB.
 * BENCH_BEFORE=<a built checkout of another commit> measures push, --full, export and reserve with that checkout's
 * code too, on the same server in the same run (each in its own database, at the schema that code makes).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import * as current from '../src/central/index.js';
import { CentralReader, type CentralTarget, type PushMethod } from '../src/central/index.js';
import { openEvidenceStore } from '../src/evidence/index.js';
import { BENCH_KEY_ID, benchDevice, importBenchDevices, registerBench } from './store-fixture.js';
import { havePostgres, PG_BIN, startPgCluster, type PgCluster } from './pg-cluster.js';

const SEED = Uint8Array.from({ length: 32 }, (_, i) => 0x30 + i); // bench station seed, not a real key
const PUBLIC_KEY = Buffer.from(ed25519.getPublicKey(SEED)).toString('hex');
const EVENTS = Number(process.env['CREDLINE_BENCH_CENTRAL_EVENTS'] ?? 1_000_000);
const GROW_TO = Number(process.env['CREDLINE_BENCH_CENTRAL_ROWS'] ?? 10_000_000);
const BEFORE = process.env['BENCH_BEFORE'];
const here = fileURLToPath(import.meta.url);

/** The central module's calls the bench makes, from this checkout or BENCH_BEFORE's. */
type CentralApi = Pick<
  typeof current,
  'centralTarget' | 'connectCentral' | 'initCentral' | 'registerStation' | 'reserveUnit' | 'syncStation'
>;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');

export async function run(): Promise<void> {
  if (!havePostgres()) {
    console.log(`skipped: no PostgreSQL server binaries in ${PG_BIN} (sudo apt-get install -y postgresql)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'credline-bench-central-'));
  const cluster = await startPgCluster({
    settings: { shared_buffers: '1GB', max_wal_size: '8GB', checkpoint_timeout: '30min' },
  });
  serverCpu = () => cluster.serverCpuSeconds();
  console.log(
    `(load average when starting: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores)`,
  );
  try {
    let fileNo = 0;
    const file = (prefix: string, devices: number, batch = 'BENCH'): string =>
      stationFile(join(dir, `${fileNo++}.db`), prefix, devices, batch);
    const big = timed(() => file('SN', EVENTS / 2));
    console.log(
      `(station file of ${fmt(EVENTS)} events made by importDevices in ${big.seconds.toFixed(1)} s)`,
    );
    const exportFiles = ['EA', 'EB', 'EC', 'ED'].map((p) => file(p, EVENTS / 8, 'EXPORT'));
    if (BEFORE !== undefined) {
      console.log(`-- before: ${BEFORE}`);
      const api = (await import(pathToFileURL(join(BEFORE, 'dist/src/central/index.js')).href)) as CentralApi;
      const before = await freshStore(api, cluster, 'before_copy');
      await measure(api, before, big.value, exportFiles, dir, join(BEFORE, 'dist/scripts/bench-central.js'));
      console.log('-- this checkout');
    }
    const copyDb = await freshStore(current, cluster, 'bench_copy');
    const insertDb = await freshStore(current, cluster, 'bench_insert');
    const insert = await push(current, insertDb, big.value, 'one', 'insert');
    console.log(`push, batched INSERTs (unnest of 5,000-row arrays): ${rate(insert)}`);
    await measure(current, copyDb, big.value, exportFiles, dir, here);
    await benchGrowth(copyDb, (prefix) => file(prefix, EVENTS / 2), cluster);
  } finally {
    cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Push by COPY, the --full re-push, the 4-station export and reserve, with one checkout's code. */
async function measure(
  api: CentralApi,
  target: CentralTarget,
  big: string,
  exportFiles: readonly string[],
  dir: string,
  benchScript: string,
): Promise<void> {
  const copy = await push(api, target, big, 'one', 'copy');
  console.log(`push, COPY: ${rate(copy)} (${fmt(EVENTS)} events + 3 registry rows, 50,000 per transaction)`);
  const full = await push(api, target, big, 'one', 'copy', true);
  console.log(
    `--full re-push of the same ${fmt(EVENTS)} events (each re-sent by COPY and compared in the server): ` +
      `${full.seconds.toFixed(1)} s; ${rate(full)}`,
  );
  for (const [i, f] of exportFiles.entries()) await push(api, target, f, `exp${i + 1}`, 'copy');
  const out = join(dir, 'export.csv');
  const exportServer = serverCpu();
  const exported = exportInChild(target, out, benchScript);
  await settled();
  console.log(
    `central export of a ${fmt(EVENTS)}-event batch over 4 stations to CSV: ${exported.seconds.toFixed(1)} s, ` +
      `peak RSS ${fmt(exported.maxRssMb)} MB (the CLI in a child process; ${exported.cpuSeconds.toFixed(1)} CPU s, ` +
      `server ${(serverCpu() - exportServer).toFixed(1)} CPU s); CSV ${fmt(statSync(out).size / 1e6)} MB`,
  );
  rmSync(out, { force: true });
  await benchReserve(api, target);
}

async function freshStore(api: CentralApi, cluster: PgCluster, database: string): Promise<CentralTarget> {
  cluster.psql(`CREATE DATABASE ${database} ENCODING UTF8`);
  const url = cluster.url(database).replace('@', `:${cluster.adminPassword}@`);
  const target = api.centralTarget({ centralEnv: 'U' }, { U: url });
  await api.initCentral(target);
  return target;
}

/** A station file of `devices` PASSed devices (two events each), its head signed. */
function stationFile(path: string, prefix: string, devices: number, batchId: string): string {
  const store = openEvidenceStore(path, { create: true });
  registerBench(store, batchId);
  importBenchDevices(store, devices, (n) => benchDevice(`${prefix}-${n}`, { batchId }));
  store.writeCheckpoint(SEED, { stationId: 'bench' });
  store.close();
  return path;
}

interface Pushed {
  seconds: number;
  events: number;
  clientCpu: number;
  serverCpu: number;
}

let serverCpu: () => number = () => 0;

/** Lets the server reap the backends of closed connections, whose CPU time then counts in serverCpu(). */
const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 500));

async function push(
  api: CentralApi,
  target: CentralTarget,
  file: string,
  stationId: string,
  method: PushMethod,
  full = false,
): Promise<Pushed> {
  await api.registerStation(target, { stationId, publicKey: PUBLIC_KEY });
  await settled();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const server = serverCpu();
  const report = await api.syncStation({ file, target, stationId, method, full });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  await settled();
  if (report.findings.length) throw new Error(`bench push refused: ${report.findings[0]?.detail}`);
  return {
    seconds,
    events: full ? report.comparedRecords : report.pushedRecords,
    clientCpu: (used.user + used.system) / 1e6,
    serverCpu: serverCpu() - server,
  };
}

/** Wall rate, and the CPU each side spent: on a shared machine the CPU figures are the steadier ones. */
const rate = (p: Pushed): string =>
  `${fmt(p.events / p.seconds)} records/s wall (${fmt(p.events)} records, ${p.seconds.toFixed(1)} s); CPU: client ` +
  `${p.clientCpu.toFixed(1)} s, server ${p.serverCpu.toFixed(1)} s = ${fmt(p.events / p.serverCpu)} records per ` +
  `server CPU second, ${fmt(p.events / (p.clientCpu + p.serverCpu))} per CPU second in all`;

function timed<T>(work: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = work();
  return { value, seconds: (performance.now() - start) / 1000 };
}

function exportInChild(
  target: CentralTarget,
  out: string,
  benchScript: string,
): { seconds: number; maxRssMb: number; cpuSeconds: number } {
  const child = spawnSync(process.execPath, [benchScript, out], {
    env: { ...process.env, CREDLINE_BENCH_CENTRAL_EXPORT: '1', CREDLINE_BENCH_CENTRAL_URL: target.url },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`export child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
    seconds: number;
    maxRssMb: number;
    cpuSeconds: number;
  };
}

/** The export child: `credline central export` in-process, reporting its own time and peak RSS. */
async function exportChild(out: string): Promise<void> {
  const { main } = await import('../src/cli/main.js');
  const start = performance.now();
  const cpu = process.cpuUsage();
  const code = await main([
    'node',
    'credline',
    'central',
    'export',
    '--central-env',
    'CREDLINE_BENCH_CENTRAL_URL',
    '--batch',
    'EXPORT',
    '--out',
    out,
  ]);
  if (code !== 0) process.exit(code);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(JSON.stringify({ seconds, cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function benchReserve(api: CentralApi, target: CentralTarget): Promise<void> {
  const client = await api.connectCentral(target);
  try {
    const times: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const serial = `RES-${i}`;
      const start = performance.now();
      const outcome = await api.reserveUnit(client, {
        stationId: 'one',
        batchId: 'BENCH',
        profileId: 'acme-cam',
        serial,
        keyId: BENCH_KEY_ID,
        fingerprint: benchDevice(serial).fingerprint,
      });
      times.push(performance.now() - start);
      if (!outcome.granted) throw new Error(outcome.message);
    }
    times.sort((a, b) => a - b);
    const at = (q: number): string => (times[Math.floor(q * (times.length - 1))] as number).toFixed(2);
    console.log(
      `reserve mode, per unit (serial + fingerprint, one round trip, committed): median ${at(0.5)} ms, ` +
        `p99 ${at(0.99)} ms (${fmt(times.length)} units, one connection)`,
    );
  } finally {
    await client.end();
  }
}

/** Pushes 1,000,000-event files until the store holds GROW_TO rows; after each, ingest rate and lookup latency. */
async function benchGrowth(
  target: CentralTarget,
  makeFile: (prefix: string) => string,
  cluster: PgCluster,
): Promise<void> {
  const reader = await CentralReader.open(target);
  try {
    let rows = (await reader.stats()).reduce((sum, s) => sum + s.records, 0);
    for (let step = 1; rows + EVENTS <= GROW_TO; step++) {
      const f = makeFile(`G${step}`);
      const pushed = await push(current, target, f, `grow${step}`, 'copy');
      rmSync(f, { force: true });
      rows += pushed.events;
      const lookups: number[] = [];
      for (let i = 0; i < 1_000; i++) {
        const serial = `G${1 + (i % step)}-${(i * 7919) % (EVENTS / 2)}`;
        const start = performance.now();
        await reader.history(serial);
        lookups.push(performance.now() - start);
      }
      lookups.sort((a, b) => a - b);
      const size = cluster
        .psql(`SELECT pg_total_relation_size('credline.chain_records')`, 'bench_copy')
        .trim();
      console.log(
        `store at ${fmt(rows)} rows: push ${rate(pushed)}; serial lookup median ` +
          `${(lookups[500] as number).toFixed(2)} ms, p99 ${(lookups[990] as number).toFixed(2)} ms; ` +
          `chain_records with indexes ${fmt(Number(size) / 1e6)} MB`,
      );
    }
  } finally {
    await reader.close();
  }
}

if (process.env['CREDLINE_BENCH_CENTRAL_EXPORT'] === '1') {
  await exportChild(process.argv[2] ?? '');
}
