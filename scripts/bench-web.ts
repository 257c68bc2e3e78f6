/**
 * Web console figures (`npm run bench -- web`), over a 1,000,000-event store built with importDevices: the server
 * (`credline serve`, a child process) first folding the store, then batch pages (aggregates from memory, results a
 * page at a time), its RSS, 200 concurrent live (SSE) clients getting one verdict, and the live view's latency from
 * a committed verdict to the changed line in Debian's Chromium's DOM. Everything is
 * bounded and stops by itself; files live in os.tmpdir().
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEvidenceStore, type EvidenceStore } from '../src/evidence/index.js';
import { benchDevice, importBenchDevices, registerBench } from './store-fixture.js';

/** Events in the bench store (CREDLINE_BENCH_WEB_EVENTS for a quick trial run). */
export const EVENTS = Number(process.env['CREDLINE_BENCH_WEB_EVENTS'] ?? 1_000_000);
const DEVICES_PER_CALL = 5_000;
const SSE_CLIENTS = 200;
const LATENCY_SAMPLES = 20;
const PAGE_SAMPLES = 20;
const CHROMIUM = '/usr/bin/chromium';
const CLI = fileURLToPath(new URL('../../bin/credline.js', import.meta.url));
const PORTS = ['/dev/ttyUSB0', '/dev/ttyUSB1', '/dev/ttyUSB2', '/dev/ttyUSB3'];

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** 500,000 devices (1,000,000 events) on four ports, one in 50 a FAIL, recorded over about a day. */
export function buildStore(file: string): number {
  let clock = Date.parse('2026-11-30T06:00:00.000Z');
  const store = openEvidenceStore(file, { create: true, now: () => new Date((clock += 80)) });
  registerBench(store);
  const start = performance.now();
  importBenchDevices(
    store,
    EVENTS / 2,
    (i) =>
      benchDevice(`SN-${String(i).padStart(7, '0')}`, {
        port: PORTS[i % PORTS.length],
        ...(i % 50 === 7
          ? {
              result: {
                result: 'FAIL',
                readbackVerified: false,
                reasonCode: i % 100 === 7 ? 'nak' : 'timeout',
              },
            }
          : {}),
      }),
    DEVICES_PER_CALL,
  );
  store.close();
  return (performance.now() - start) / 1000;
}

export interface Server {
  child: ChildProcess;
  url: string;
}

/** `credline serve STORE-OPTIONS --listen 127.0.0.1:0` in a child process; resolves once it prints its URL. */
export async function startServer(
  store: string[] | string,
  env: Record<string, string> = {},
): Promise<Server> {
  const options = typeof store === 'string' ? ['--db', store] : store;
  const child = spawn(process.execPath, [CLI, 'serve', ...options, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('credline serve did not start in 300 s')), 300_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /credline console: (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`credline serve exited ${code}`)));
  });
  return { child, url };
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export async function timeGet(url: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(url);
  await response.text();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return performance.now() - start;
}

let written = 0;
/** One unit through the station's own calls: intent, then a FAIL result (committed when this returns). */
function recordVerdict(store: EvidenceStore): string {
  const serial = `LIVE-${String(++written).padStart(5, '0')}`;
  const { result, ...facts } = benchDevice(serial, {
    result: { result: 'FAIL', readbackVerified: false, reasonCode: 'nak' },
  });
  store.recordResult(store.recordIntent(facts), result);
  return serial;
}

/** Opens `count` live streams; resolves with their readers once each has had its first line event. */
export async function openLiveClients(url: string, count: number, signal: AbortSignal) {
  const decoder = new TextDecoder();
  return Promise.all(
    Array.from({ length: count }, async () => {
      const response = await fetch(`${url}events`, { signal });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const until = async (needle: string): Promise<number> => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error('live stream ended');
          text += decoder.decode(value, { stream: true });
        }
        text = '';
        return performance.now();
      };
      await until('event: line');
      return until;
    }),
  );
}

async function benchSse(url: string, store: EvidenceStore, pid: number): Promise<void> {
  const abort = new AbortController();
  const guard = setTimeout(() => abort.abort(), 60_000);
  try {
    const clients = await openLiveClients(url, SSE_CLIENTS, abort.signal);
    const start = performance.now();
    const serial = recordVerdict(store);
    const arrivals = await Promise.all(clients.map((until) => until(serial)));
    const delays = arrivals.map((t) => t - start);
    const memory = memoryMb(pid);
    console.log(
      `${SSE_CLIENTS} live clients at once: one verdict reached all in ${fmt(Math.max(...delays))} ms ` +
        `(median ${fmt(median(delays))} ms; the store is polled every 100 ms); server RSS ${fmt(memory.rss)} MB ` +
        `with them connected`,
    );
  } finally {
    clearTimeout(guard);
    abort.abort();
  }
}

async function benchBrowser(url: string, store: EvidenceStore): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`live view latency: skipped (no ${CHROMIUM}; apt-get install chromium)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(url);
    await page.locator('#line[data-seq]').waitFor({ timeout: 30_000 });
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const serial = recordVerdict(store);
      const committed = performance.now();
      await page.locator('#line .failures td', { hasText: serial }).waitFor({ timeout: 30_000 });
      latencies.push(performance.now() - committed);
    }
    console.log(
      `live view, committed verdict to the line changed in Chromium's DOM (as Playwright sees it): median ` +
        `${fmt(median(latencies))} ms, max ${fmt(Math.max(...latencies))} ms (${LATENCY_SAMPLES} verdicts; ` +
        'polling every 100 ms bounds it)',
    );
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'credline-bench-web-'));
  const file = join(dir, 'evidence.db');
  let server: Server | undefined;
  try {
    const buildSeconds = buildStore(file);
    console.log(
      `store: ${fmt(EVENTS)} events (one batch, four ports, 2 % FAIL), built in ${fmt(buildSeconds, 1)} s, ` +
        `${fmt(statSync(file).size / 1e6)} MB`,
    );
    const started = performance.now();
    server = await startServer(file);
    const listening = (performance.now() - started) / 1000;
    const firstPage = await timeGet(`${server.url}batches/BENCH`);
    console.log(
      `server start to listening: ${fmt(listening, 1)} s (it folds all ${fmt(EVENTS)} events into the running ` +
        `totals first; a chain verification starts beside it in a child process); the first batch page ${fmt(firstPage)} ms`,
    );
    const pages: number[] = [];
    const older: number[] = [];
    const lists: number[] = [];
    for (let i = 0; i < PAGE_SAMPLES; i++) {
      pages.push(await timeGet(`${server.url}batches/BENCH`));
      older.push(await timeGet(`${server.url}batches/BENCH?before=${500_000 + i * 1000}`));
      lists.push(await timeGet(`${server.url}batches`));
    }
    console.log(
      `batch page over ${fmt(EVENTS)} events (counts, charts, 50 newest results): median ${fmt(median(pages), 1)} ms, ` +
        `max ${fmt(Math.max(...pages), 1)} ms; a page from the middle of the batch: median ${fmt(median(older), 1)} ms; ` +
        `batch list: median ${fmt(median(lists), 1)} ms (${PAGE_SAMPLES} each)`,
    );
    const pid = server.child.pid as number;
    const afterPages = memoryMb(pid);
    console.log(`server RSS after the pages: ${fmt(afterPages.rss)} MB (peak ${fmt(afterPages.peak)} MB)`);
    const store = openEvidenceStore(file);
    try {
      await benchSse(server.url, store, pid);
      await benchBrowser(server.url, store);
    } finally {
      store.close();
    }
    const end = memoryMb(pid);
    console.log(
      `server RSS at the end: ${fmt(end.rss)} MB (peak ${fmt(end.peak)} MB, limit 150 MB; verification and packs ` +
        'run in child processes of their own)',
    );
  } finally {
    if (server && server.child.exitCode === null) {
      const exited = new Promise((resolve) => server?.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
