/**
 * Evidence store figures (`npm run bench -- evidence`): line-mode devices/s (intent + result, each its own
 * transaction, WAL + synchronous=FULL), bulk events/s (10,000 events per transaction) through recordIntent +
 * recordResult and through importDevices, verify of 1,000,000 events, and export of 1,000,000 events to CSV with
 * the exporting process's peak RSS (measured in a child process running the real CLI). Files live in os.tmpdir() (set TMPDIR to bench another disk).
 * `CREDLINE_BENCH_EVIDENCE=import npm run bench -- evidence` prints the importDevices figure alone (about 30 s).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  rmSync,
  statfsSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ImportedDevice,
  verifyEvidence,
  openEvidenceStore,
  type EvidenceStore,
} from '../src/evidence/index.js';
import { benchDevice, registerBench } from './store-fixture.js';

const LINE_SECONDS = 5;
const BULK_EVENTS = 1_000_000;
/** The station's own path (recordIntent + recordResult) on fewer events: it is the slow one. */
const ONE_BY_ONE_EVENTS = 200_000;
const EVENTS_PER_TXN = 10_000;
const IMPORT_ONLY = process.env['CREDLINE_BENCH_EVIDENCE'] === 'import';

/** One device's intent facts and PASS result, as a station (or an import) has them. */
function deviceFacts(n: number): ImportedDevice {
  return benchDevice(`SN-${n}`);
}

/** One device the way the station writes it: recordIntent, then recordResult. */
function device(store: EvidenceStore, n: number): void {
  const { result, ...intent } = deviceFacts(n);
  store.recordResult(store.recordIntent(intent), result);
}

function fsyncsPerSecond(dir: string): number {
  const file = join(dir, 'fsync-probe');
  const fd = openSync(file, 'w');
  const page = Buffer.alloc(4096, 1);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 2000) {
    writeSync(fd, page);
    fsyncSync(fd);
    n++;
  }
  closeSync(fd);
  rmSync(file);
  return n / ((performance.now() - start) / 1000);
}

/** CPU seconds this process used since `since` (the machine may be shared: wall time alone misleads). */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-GB');
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'credline-bench-evidence-'));
  try {
    const fsType = statfsSync(dir).type.toString(16);
    console.log(`files in ${dir} (filesystem type 0x${fsType}); WAL, synchronous=FULL`);
    if (!IMPORT_ONLY) benchStation(dir);
    const file = join(dir, 'bulk.db');
    benchImport(file);
    if (IMPORT_ONLY) return;

    const verifyStart = performance.now();
    const verifyCpu = process.cpuUsage();
    const report = verifyEvidence(file);
    const verifySeconds = (performance.now() - verifyStart) / 1000;
    console.log(
      `verify: ${verifySeconds.toFixed(1)} s (${cpuSeconds(verifyCpu).toFixed(1)} CPU s) for ` +
        `${fmt(report.records)} records (${report.ok ? 'OK' : 'FAILED'}; includes PRAGMA integrity_check)`,
    );

    const out = join(dir, 'export.csv');
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), file, out], {
      env: { ...process.env, CREDLINE_BENCH_EXPORT_CHILD: '1' },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`export child failed: ${child.stderr}`);
    const figures = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
      seconds: number;
      cpuSeconds: number;
      maxRssMb: number;
    };
    console.log(
      `export to CSV: ${figures.seconds.toFixed(1)} s (${figures.cpuSeconds.toFixed(1)} CPU s) for ` +
        `${fmt(report.records)} records, peak RSS ` +
        `${fmt(figures.maxRssMb)} MB (child process running the CLI); CSV ${fmt(statSync(out).size / 1e6)} MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fsync bound, line mode and the station's own bulk path (recordIntent + recordResult). */
function benchStation(dir: string): void {
  console.log(
    `raw write+fsync of one 4 KiB page: ${fmt(fsyncsPerSecond(dir))} fsyncs/s (the bound for line mode)`,
  );

  const line = openEvidenceStore(join(dir, 'line.db'), { create: true });
  const lineCpu = process.cpuUsage();
  registerBench(line);
  let devices = 0;
  const lineStart = performance.now();
  while (performance.now() - lineStart < LINE_SECONDS * 1000) device(line, devices++);
  const lineSeconds = (performance.now() - lineStart) / 1000;
  const lineCpuSeconds = cpuSeconds(lineCpu);
  line.close();
  console.log(
    `line mode: ${fmt(devices / lineSeconds)} devices/s (${fmt(devices)} devices in ${lineSeconds.toFixed(1)} s; ` +
      `intent and result each its own fsync-ed transaction; ${lineCpuSeconds.toFixed(1)} CPU s)`,
  );

  const oneByOne = openEvidenceStore(join(dir, 'one-by-one.db'), { create: true });
  registerBench(oneByOne);
  const oneStart = performance.now();
  const oneCpu = process.cpuUsage();
  for (let n = 0; n < ONE_BY_ONE_EVENTS / 2;) {
    oneByOne.transaction(() => {
      for (let i = 0; i < EVENTS_PER_TXN / 2; i++) device(oneByOne, n++);
    });
  }
  const oneSeconds = (performance.now() - oneStart) / 1000;
  const oneCpuSeconds = cpuSeconds(oneCpu);
  oneByOne.close();
  console.log(
    `bulk, recordIntent + recordResult: ${fmt(ONE_BY_ONE_EVENTS / oneSeconds)} events/s (${fmt(ONE_BY_ONE_EVENTS)} ` +
      `events, ${fmt(EVENTS_PER_TXN)} per transaction, ${oneSeconds.toFixed(1)} s, ${oneCpuSeconds.toFixed(1)} CPU s = ` +
      `${fmt(ONE_BY_ONE_EVENTS / oneCpuSeconds)} events per CPU second; device inputs and fingerprints included)`,
  );
}

/** Bulk import through importDevices, 10,000 events per call, into a new file (which verify and export read). */
function benchImport(file: string): void {
  const bulk = openEvidenceStore(file, { create: true });
  registerBench(bulk);
  let bulkMs = 0;
  let bulkCpuUs = 0;
  for (let n = 0; n < BULK_EVENTS / 2;) {
    const devices = Array.from({ length: EVENTS_PER_TXN / 2 }, () => deviceFacts(n++));
    const start = performance.now();
    const cpu = process.cpuUsage();
    bulk.importDevices(devices);
    bulkMs += performance.now() - start;
    const used = process.cpuUsage(cpu);
    bulkCpuUs += used.user + used.system;
  }
  const closeStart = performance.now();
  const closeCpu = process.cpuUsage();
  bulk.close(); // checkpoints what the import left in the WAL: part of its cost
  bulkMs += performance.now() - closeStart;
  const closeUsed = process.cpuUsage(closeCpu);
  bulkCpuUs += closeUsed.user + closeUsed.system;
  const bulkSeconds = bulkMs / 1000;
  const bulkCpuSeconds = bulkCpuUs / 1e6;
  console.log(
    `bulk import, importDevices: ${fmt(BULK_EVENTS / bulkSeconds)} events/s (${fmt(BULK_EVENTS)} events, ` +
      `${fmt(EVENTS_PER_TXN)} per call and transaction, ${bulkSeconds.toFixed(1)} s, ${bulkCpuSeconds.toFixed(1)} CPU s = ` +
      `${fmt(BULK_EVENTS / bulkCpuSeconds)} events per CPU second; the same refusals as recordIntent, looked up per ` +
      `call; device inputs and fingerprints built before each call, not timed; closing the store, with its final WAL ` +
      `checkpoint, timed); file ${fmt(statSync(file).size / 1e6)} MB`,
  );
}

/** The export child: runs `credline evidence export` in-process and reports its own time and peak RSS. */
async function exportChild(file: string, out: string): Promise<void> {
  const { main } = await import('../src/cli/main.js');
  const start = performance.now();
  const cpu = process.cpuUsage();
  const code = await main([
    'node',
    'credline',
    'evidence',
    'export',
    '--db',
    file,
    '--format',
    'csv',
    '--out',
    out,
  ]);
  if (code !== 0) process.exit(code);
  const seconds = (performance.now() - start) / 1000;
  console.log(
    JSON.stringify({ seconds, cpuSeconds: cpuSeconds(cpu), maxRssMb: process.resourceUsage().maxRSS / 1024 }),
  );
}

if (process.env['CREDLINE_BENCH_EXPORT_CHILD'] === '1') {
  await exportChild(process.argv[2] ?? '', process.argv[3] ?? '');
}
