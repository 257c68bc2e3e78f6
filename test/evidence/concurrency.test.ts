import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { verifyEvidence } from '../../src/evidence/verify/verify.js';
import { newStore, tempDir } from './helpers.js';

const DIST_EVIDENCE = pathToFileURL(resolve('dist/src/evidence/index.js')).href;
const DIST_KEY_ID = pathToFileURL(resolve('dist/src/derive/key-id.js')).href;
const DEVICES_PER_STATION = 100;

/** A station process: provisions devices in line mode (intent and result, each its own transaction). */
const STATION_SCRIPT = `
import { openEvidenceStore } from '${DIST_EVIDENCE}';
import { createFingerprinter, keyId } from '${DIST_KEY_ID}';
const [file, station, count] = process.argv.slice(2);
const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const fingerprint = createFingerprinter(key);
const store = openEvidenceStore(file);
process.stderr.write('ready\\n'); // then wait for the go on stdin, so that both stations start writing together
await new Promise((r) => process.stdin.once('data', r));
const seqs = [];
for (let n = 0; n < Number(count); n++) {
  const serial = station + '-' + n;
  const intent = store.recordIntent({ batchId: 'B1', serial, keyId: keyId(key), schemeVersion: 1, attempt: 0,
    fingerprint: fingerprint('pw-' + serial), stationId: station, port: '/dev/ttyUSB' + n % 4 });
  const result = store.recordResult(intent, { result: 'PASS', readbackVerified: true });
  seqs.push(intent, result.seq);
}
store.close();
process.stdout.write(JSON.stringify(seqs));
`;

/** A station process; `ready` resolves once it has opened the store, `go()` lets it write. */
function runStation(
  script: string,
  file: string,
  station: string,
): { ready: Promise<void>; go: () => void; done: Promise<number[]> } {
  const child = spawn(process.execPath, [script, file, station, String(DEVICES_PER_STATION)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let isReady: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.includes('ready\n')) isReady?.();
  });
  const done = new Promise<number[]>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      isReady?.();
      if (code === 0) resolvePromise(JSON.parse(out) as number[]);
      else reject(new Error(`station ${station} exited ${code}: ${err}`));
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), done };
}

describe('two processes writing one evidence file', () => {
  it('both succeed, in order, with no lost rows and one unbroken chain', async () => {
    const dir = tempDir();
    const file = join(dir, 'shared.db');
    const store = newStore(file);
    store.ensureStation({ stationId: 'line2' });
    store.close();
    const script = join(dir, 'station.mjs');
    writeFileSync(script, STATION_SCRIPT);
    const stations = [runStation(script, file, 'line1'), runStation(script, file, 'line2')];
    await Promise.all(stations.map((s) => s.ready));
    for (const s of stations) s.go();
    const [a, b] = await Promise.all(stations.map((s) => s.done));

    for (const seqs of [a ?? [], b ?? []]) {
      expect(seqs).toHaveLength(2 * DEVICES_PER_STATION);
      expect(seqs.every((s, i) => i === 0 || s > (seqs[i - 1] as number))).toBe(true); // each station's own order
    }
    const all = [...(a ?? []), ...(b ?? [])].sort((x, y) => x - y);
    expect(new Set(all).size).toBe(all.length);
    const reopened = openEvidenceStore(file);
    const stats = reopened.stats();
    reopened.close();
    expect(stats.events).toBe(4 * DEVICES_PER_STATION);
    expect(stats.head.seq).toBe(4 + 4 * DEVICES_PER_STATION); // 2 stations, 1 key, 1 batch, then the devices
    expect(stats.batches[0]).toMatchObject({ pass: 2 * DEVICES_PER_STATION, open: 0 });
    const report = verifyEvidence(file);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(stats.head.seq);
  });
});
