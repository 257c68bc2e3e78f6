/**
 * Station figures (`npm run bench -- station`):
 * 1. overhead per device over a pty with an instant simulator: the time of a device cycle not spent waiting on the
 *    device (policy, derivation, evidence writes with fsync, framing, dialogue), median and p90;
 * 2. gang scaling at 200 ms device latency (commit time) on 1, 4, 8 and 16 ports: devices/min and the ratio to linear,
 *    over the whole window and at steady state, with the station's CPU and event-loop delay and the simulator's CPU;
 * 3. the wire: bytes a device cycle puts on the UART and what they cost at 115200 baud, against the tool's own time.
 * The simulator runs in its own process, as on a real line.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyId } from '../src/derive/index.js';
import { evidenceWriterFor, type EvidenceWriter, openEvidenceStore } from '../src/evidence/index.js';
import { createPasswordPolicy } from '../src/policy/index.js';
import { loadProfile, policyOptionsOf } from '../src/profiles/index.js';
import { type TraceEntry } from '../src/protocol/index.js';
import { startStation, type DeviceEvent } from '../src/station/index.js';
import { haveSocat, startPtyPair, type PtyPair } from './pty-pair.js';

const cli = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'bin/credline.js');
/** The public test-vector key (00..1f): a benchmark needs no secret. */
const BENCH_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);

interface Measured {
  devices: DeviceEvent[];
  traceBytes: number;
  /** Milliseconds spent in the password policy (zxcvbn), and waiting for evidence commits, over the whole run. */
  policyMs: number;
  evidenceMs: number;
  /** The station's event-loop delay (median and p99, ms) and CPU ms of the station and simulator processes. */
  loopP50: number;
  loopP99: number;
  stationCpuMs: number;
  simCpuMs: number;
  /** Per port, the times (ms) its verdicts came. */
  verdictTimes: number[][];
  /** From the start of the first device's cycle to the last verdict (leaves out simulator and port start-up). */
  windowMs: number;
}

/** Wraps the writer so that the time the station waits for each commit is added to `sink.ms`. */
function timedWriter(writer: EvidenceWriter, sink: { ms: number }): EvidenceWriter {
  const timed =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await call(...args);
      } finally {
        sink.ms += performance.now() - started;
      }
    };
  return {
    recordIntent: timed(writer.recordIntent),
    recordResult: timed(writer.recordResult),
    recordPolicyRejection: timed(writer.recordPolicyRejection),
    recordRefusal: timed(writer.recordRefusal),
    close: writer.close,
  };
}

/** CPU milliseconds a child process has used so far (Linux /proc; utime + stime at 100 ticks/s). */
function childCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Wraps `object[name]` so the time spent in it is added to `sink.ms`. */
function timeMethod<T extends object>(object: T, name: keyof T & string, sink: { ms: number }): void {
  const original = object[name] as unknown as (...args: unknown[]) => unknown;
  Object.assign(object, {
    [name]: (...args: unknown[]) => {
      const started = performance.now();
      try {
        return original.apply(object, args);
      } finally {
        sink.ms += performance.now() - started;
      }
    },
  });
}

async function measure(
  profileId: string,
  ports: number,
  unitsPerPort: number,
  simArgs: string[],
  dbDir?: string,
): Promise<Measured> {
  const dir = mkdtempSync(join(dbDir ?? tmpdir(), 'credline-bench-'));
  const pairs: PtyPair[] = await Promise.all(Array.from({ length: ports }, () => startPtyPair()));
  const sim = spawn(
    process.execPath,
    [
      cli,
      'sim',
      ...pairs.flatMap((p) => ['--port', p.device]),
      // One unit more than the station takes: the simulator exits after its last unit, and its CPU time can only be
      // read from /proc while it is still running.
      '--devices',
      String(unitsPerPort + 1),
      '--swap-gap-ms',
      '0',
      ...simArgs,
    ],
    { stdio: 'ignore' },
  );
  const loaded = loadProfile(profileId);
  const { profile } = loaded;
  const store = openEvidenceStore(join(dir, 'bench.db'), { create: true });
  const id = keyId(BENCH_KEY);
  store.ensureStation({ stationId: 'bench' });
  store.registerLineKey(id, 'bench (test-vector key)');
  store.ensureBatch({
    batchId: 'BENCH',
    productType: profile.product.type,
    profileId: profile.id,
    profileRevision: profile.revision,
    profileHash: loaded.hash,
    supportEndDate: '2031-12-31',
  });
  const devices: DeviceEvent[] = [];
  let firstStart = Infinity;
  let lastEnd = 0;
  let traceBytes = 0;
  const policy = createPasswordPolicy(policyOptionsOf(profile));
  // Warm-up: zxcvbn loads lazily on the first check.
  policy.check('warmUpCandidate1', { serial: 'WARM' });
  const policyTime = { ms: 0 };
  const evidenceTime = { ms: 0 };
  timeMethod(policy, 'check', policyTime);
  const evidence = timedWriter(evidenceWriterFor(store, ports), evidenceTime);
  const perPort = new Map<string, number[]>();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const cpu = process.cpuUsage();
  const simCpu = childCpuMs(sim.pid);
  loop.enable();
  try {
    const run = startStation({
      profile: loaded,
      lineKey: BENCH_KEY,
      keyId: id,
      store,
      evidence,
      batchId: 'BENCH',
      stationId: 'bench',
      ports: pairs.map((p) => p.host),
      count: ports * unitsPerPort,
      policy,
      trace: (e: TraceEntry) => {
        traceBytes += e.text.length + 1;
      },
      onEvent: (e) => {
        if (e.type !== 'device') return;
        devices.push(e);
        const now = performance.now();
        perPort.set(e.port, [...(perPort.get(e.port) ?? []), now]);
        firstStart = Math.min(firstStart, now - e.elapsedMs);
        lastEnd = Math.max(lastEnd, now);
      },
    });
    await run.done;
    loop.disable();
    const used = process.cpuUsage(cpu);
    return {
      devices,
      traceBytes,
      policyMs: policyTime.ms,
      evidenceMs: evidenceTime.ms,
      windowMs: lastEnd - firstStart,
      loopP50: loop.percentile(50) / 1e6,
      loopP99: loop.percentile(99) / 1e6,
      stationCpuMs: (used.user + used.system) / 1000,
      simCpuMs: childCpuMs(sim.pid) - simCpu,
      verdictTimes: [...perPort.values()],
    };
  } finally {
    await evidence.close();
    store.close();
    sim.kill('SIGTERM');
    for (const p of pairs) p.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export async function run(): Promise<void> {
  if (!haveSocat()) {
    console.log('skipped: needs socat (sudo apt-get install -y socat)');
    return;
  }
  console.log(
    'station overhead per device (1 port, instant simulator, 100 devices; cycle minus time waiting on the device)',
  );
  const shm = existsSync('/dev/shm') ? '/dev/shm' : undefined;
  const runs: Array<[string, string | undefined, string]> = [
    ['credline-agent-psk', undefined, 'evidence on disk'],
    ...(shm
      ? [['credline-agent-psk', shm, 'evidence on tmpfs (no fsync cost)'] as [string, string, string]]
      : []),
    ['credline-agent', undefined, 'evidence on disk, plus PBKDF2-SHA-256 100k iterations'],
  ];
  for (const [profileId, dbDir, note] of runs) {
    const m = await measure(profileId, 1, 100, [], dbDir);
    const overhead = m.devices.slice(1).map((d) => d.elapsedMs - d.deviceWaitMs);
    const cycle = m.devices.slice(1).map((d) => d.elapsedMs);
    const n = m.devices.length;
    const median = quantile(overhead, 0.5);
    console.log(
      `  ${profileId}, ${note}${m.devices.every((d) => d.result === 'PASS') ? '' : ' (some FAILed!)'}\n` +
        `    overhead median ${median.toFixed(2)} ms, p90 ${quantile(overhead, 0.9).toFixed(2)} ms; mean per device: ` +
        `policy/zxcvbn ${(m.policyMs / n).toFixed(2)} ms, waiting for evidence commits ${(m.evidenceMs / n).toFixed(2)} ms; ` +
        `whole cycle median ${quantile(cycle, 0.5).toFixed(2)} ms`,
    );
    if (profileId === 'credline-agent-psk' && dbDir === undefined) {
      const bytesPerDevice = m.traceBytes / n;
      const wireMs = (bytesPerDevice * 10 * 1000) / 115200;
      console.log(
        `    wire at 115200 baud: ~${bytesPerDevice.toFixed(0)} bytes per device = ${wireMs.toFixed(1)} ms on the wire, ` +
          `${median.toFixed(1)} ms in the tool (tool ${((100 * median) / (wireMs + median)).toFixed(0)}% of a cycle without device time)`,
      );
    }
  }
  console.log(
    `gang scaling (credline-agent-psk, 200 ms device latency per device as commit time, ${GANG_UNITS} devices per port):\n` +
      '  window = first cycle start to last verdict (includes port start-up skew); ' +
      'steady = per port, verdicts after its first over the time they took, summed over ports',
  );
  let single = { window: 0, steady: 0 };
  const gang: Array<[number, string | undefined]> = [
    [1, undefined],
    [4, undefined],
    [8, undefined],
    [16, undefined],
  ];
  if (shm) gang.push([16, shm]);
  for (const [ports, dbDir] of gang) {
    const m = await measure('credline-agent-psk', ports, GANG_UNITS, ['--commit-ms', '200'], dbDir);
    const rate = { window: (m.devices.length * 60_000) / m.windowMs, steady: steadyPerMin(m.verdictTimes) };
    if (ports === 1) single = rate;
    const ratio = (r: keyof typeof rate): string => (rate[r] / (single[r] * ports)).toFixed(2);
    const n = m.devices.length;
    console.log(
      `  ${String(ports).padStart(2)} port(s): window ${rate.window.toFixed(0).padStart(5)} devices/min = ${ratio('window')} × linear; ` +
        `steady ${rate.steady.toFixed(0).padStart(5)} devices/min = ${ratio('steady')} × linear` +
        `${dbDir ? ' (evidence on tmpfs)' : ''}${m.devices.every((d) => d.result === 'PASS') ? '' : ' (some FAILed!)'}\n` +
        `           CPU per device: station ${(m.stationCpuMs / n).toFixed(1)} ms, simulator ${(m.simCpuMs / n).toFixed(1)} ms; ` +
        `station event-loop delay p50 ${m.loopP50.toFixed(1)} ms, p99 ${m.loopP99.toFixed(1)} ms; ` +
        `evidence commit wait ${(m.evidenceMs / n).toFixed(2)} ms per device`,
    );
  }
}

const GANG_UNITS = 20;

/** Devices per minute at steady state: each port's verdicts after its first, over the time they took, summed. */
function steadyPerMin(verdictTimes: number[][]): number {
  return verdictTimes.reduce((sum, times) => {
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    return span > 0 ? sum + ((times.length - 1) * 60_000) / span : sum;
  }, 0);
}
