/**
 * The web console over the central store (`npm run bench -- web-central`), on a throwaway PostgreSQL 15 cluster on
 * this machine: the 1,000,000-event bench file pushed as station `east`, a small station `west` in the same batch;
 * then `credline serve --central-env` (a child process) folding every station's chain, batch pages (counts per
 * station from memory, results merged from each station's index), the conflicts and device pages, its RSS, and the
 * live view's latency from a verdict recorded at a station, through its push, to the changed line in Chromium's DOM.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  centralTarget,
  initCentral,
  registerStation,
  syncStation,
  type CentralTarget,
} from '../src/central/index.js';
import { openEvidenceStore, type EvidenceStore } from '../src/evidence/index.js';
import {
  buildStore,
  EVENTS,
  fmt,
  median,
  memoryMb,
  openLiveClients,
  startServer,
  timeGet,
  type Server,
} from './bench-web.js';
import { havePostgres, PG_BIN, startPgCluster } from './pg-cluster.js';
import { benchDevice, importBenchDevices, registerBench } from './store-fixture.js';

const SEED = Uint8Array.from({ length: 32 }, (_, i) => 0x30 + i); // bench station seed, not a real key
const PUBLIC_KEY = Buffer.from(ed25519.getPublicKey(SEED)).toString('hex');
const CHROMIUM = '/usr/bin/chromium';
const PAGE_SAMPLES = 20;
const LATENCY_SAMPLES = 10;

let written = 0;
/** One unit through the station's own calls (a FAIL, so that it shows in the line's failures). */
function recordVerdict(store: EvidenceStore): string {
  const serial = `LIVE-${String(++written).padStart(5, '0')}`;
  const { result, ...facts } = benchDevice(serial, {
    port: '/dev/ttyUSB9',
    result: { result: 'FAIL', readbackVerified: false, reasonCode: 'nak' },
  });
  store.recordResult(store.recordIntent(facts), result);
  return serial;
}

async function push(target: CentralTarget, file: string, stationId: string): Promise<number> {
  const start = performance.now();
  const report = await syncStation({ file, target, stationId, method: 'copy' });
  if (report.findings.length) throw new Error(`bench push refused: ${report.findings[0]?.detail}`);
  return (performance.now() - start) / 1000;
}

const SSE_CLIENTS = 200;

async function benchSse(url: string, target: CentralTarget, file: string, pid: number): Promise<void> {
  const abort = new AbortController();
  const guard = setTimeout(() => abort.abort(), 120_000);
  const store = openEvidenceStore(file);
  try {
    const clients = await openLiveClients(url, SSE_CLIENTS, abort.signal);
    const serial = recordVerdict(store);
    await syncStation({ file, target, stationId: 'west', method: 'copy' });
    const stored = performance.now();
    const arrivals = await Promise.all(clients.map((until) => until(serial)));
    const delays = arrivals.map((t) => t - stored);
    console.log(
      `${SSE_CLIENTS} live clients of the central console at once: one verdict, once stored centrally, reached ` +
        `all in ${fmt(Math.max(...delays))} ms (median ${fmt(median(delays))} ms); console RSS ` +
        `${fmt(memoryMb(pid).rss)} MB with them connected`,
    );
  } finally {
    store.close();
    clearTimeout(guard);
    abort.abort();
  }
}

async function benchBrowser(url: string, target: CentralTarget, file: string): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`live view latency: skipped (no ${CHROMIUM}; apt-get install chromium)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  const store = openEvidenceStore(file);
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(url);
    await page.locator('#line[data-seq]').waitFor({ timeout: 30_000 });
    const total: number[] = [];
    const pushed: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const serial = recordVerdict(store);
      const committed = performance.now();
      await syncStation({ file, target, stationId: 'west', method: 'copy' });
      const stored = performance.now();
      await page.locator('#line .failures td', { hasText: serial }).waitFor({ timeout: 30_000 });
      total.push(performance.now() - committed);
      pushed.push(performance.now() - stored);
    }
    console.log(
      `live view over the central store, a verdict committed at a station to the line changed in Chromium's DOM: ` +
        `median ${fmt(median(total))} ms, max ${fmt(Math.max(...total))} ms, of which stored centrally (push ` +
        `committed) to DOM median ${fmt(median(pushed))} ms, max ${fmt(Math.max(...pushed))} ms (${LATENCY_SAMPLES} ` +
        'verdicts; the console polls every 100 ms)',
    );
  } finally {
    store.close();
    await browser.close();
  }
}

export async function run(): Promise<void> {
  if (!havePostgres()) {
    console.log(`skipped: no PostgreSQL server binaries in ${PG_BIN} (sudo apt-get install -y postgresql)`);
    return;
  }
  console.log(
    `(load average when starting: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'credline-bench-web-central-'));
  const cluster = await startPgCluster({ settings: { shared_buffers: '256MB', max_wal_size: '4GB' } });
  let server: Server | undefined;
  try {
    cluster.psql('CREATE DATABASE credline ENCODING UTF8');
    const url = cluster.url('credline').replace('@', `:${cluster.adminPassword}@`);
    const target = centralTarget({ centralEnv: 'U' }, { U: url });
    await initCentral(target);
    for (const stationId of ['east', 'west'])
      await registerStation(target, { stationId, publicKey: PUBLIC_KEY });

    const big = join(dir, 'east.db');
    const built = buildStore(big);
    const small = join(dir, 'west.db');
    const west = openEvidenceStore(small, { create: true });
    registerBench(west);
    importBenchDevices(west, 1_000, (n) => benchDevice(`WEST-${n}`, { port: '/dev/ttyUSB0' }));
    west.close();
    const eastSeconds = await push(target, big, 'east');
    await push(target, small, 'west');
    cluster.psql('VACUUM ANALYZE', 'credline');
    console.log(
      `central store: station east ${fmt(EVENTS)} events (its file built in ${fmt(built, 1)} s, pushed by COPY in ` +
        `${fmt(eastSeconds, 1)} s), station west 2,000 events, one batch`,
    );

    const started = performance.now();
    server = await startServer(['--central-env', 'CREDLINE_BENCH_CENTRAL'], { CREDLINE_BENCH_CENTRAL: url });
    const listening = (performance.now() - started) / 1000;
    const firstPage = await timeGet(`${server.url}batches/BENCH`);
    console.log(
      `server start to listening: ${fmt(listening, 1)} s (it folds every station's events first); the first ` +
        `batch page ${fmt(firstPage)} ms (it starts the store's verification, in the server)`,
    );
    const html = await (await fetch(`${server.url}batches/BENCH`)).text();
    const older = /rel="next" href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const pages: number[] = [];
    const olderPages: number[] = [];
    const lists: number[] = [];
    const others: number[] = [];
    for (let i = 0; i < PAGE_SAMPLES; i++) {
      pages.push(await timeGet(`${server.url}batches/BENCH`));
      olderPages.push(await timeGet(`${server.url}${older.slice(1)}`));
      lists.push(await timeGet(`${server.url}batches`));
      others.push(await timeGet(`${server.url}devices?serial=SN-${String(i * 997).padStart(7, '0')}`));
    }
    const conflicts = await timeGet(`${server.url}conflicts`);
    console.log(
      `central batch page over ${fmt(EVENTS)} events (counts per station, charts, 50 newest results merged from each ` +
        `station): median ${fmt(median(pages), 1)} ms, max ${fmt(Math.max(...pages), 1)} ms; the next page: ` +
        `median ${fmt(median(olderPages), 1)} ms; batch list: median ${fmt(median(lists), 1)} ms; device ` +
        `history: median ${fmt(median(others), 1)} ms; conflicts: ${fmt(conflicts, 1)} ms (${PAGE_SAMPLES} each)`,
    );
    const pid = server.child.pid as number;
    const afterPages = memoryMb(pid);
    console.log(
      `central console RSS after the pages: ${fmt(afterPages.rss)} MB (peak ${fmt(afterPages.peak)} MB)`,
    );
    await benchSse(server.url, target, small, pid);
    await benchBrowser(server.url, target, small);
    const end = memoryMb(pid);
    console.log(
      `central console RSS at the end: ${fmt(end.rss)} MB (peak ${fmt(end.peak)} MB, limit 150 MB)`,
    );
  } finally {
    if (server && server.child.exitCode === null) {
      const exited = new Promise((resolve) => server?.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
