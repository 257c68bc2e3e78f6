/**
 * The evidence stores the benchmarks build (evidence, web console, central): the bench station, the public
 * test-vector line key and one batch, and devices as a station records them, imported in chunks.
 */
import { createFingerprinter, keyId } from '../src/derive/index.js';
import type { EvidenceStore, ImportedDevice } from '../src/evidence/index.js';

/** The public test-vector key (00 01 … 1f): bench data only. */
export const BENCH_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
export const BENCH_KEY_ID = keyId(BENCH_KEY);
const fingerprint = createFingerprinter(BENCH_KEY);

/** Registers the bench station, the line key and batch `batchId` in `store`. */
export function registerBench(store: EvidenceStore, batchId = 'BENCH'): void {
  store.ensureStation({ stationId: 'bench' });
  store.registerLineKey(BENCH_KEY_ID, 'bench key');
  store.ensureBatch({
    batchId,
    productType: 'camera',
    profileId: 'acme-cam',
    profileRevision: 1,
    profileHash: 'ab'.repeat(32),
    supportEndDate: '2030-12-31',
  });
}

/** One device's intent facts and result as a station has them: a PASS on /dev/ttyUSB0 unless told otherwise. */
export function benchDevice(serial: string, over: Partial<ImportedDevice> = {}): ImportedDevice {
  return {
    batchId: 'BENCH',
    serial,
    keyId: BENCH_KEY_ID,
    schemeVersion: 1,
    attempt: 0,
    fingerprint: fingerprint(`pw-${serial}`),
    zxcvbnScore: 4,
    zxcvbnLog10Guesses: 12,
    entropyBits: 69.658,
    port: '/dev/ttyUSB0',
    stationId: 'bench',
    operator: 'op1',
    result: { result: 'PASS', readbackVerified: true },
    ...over,
  };
}

/** Imports devices 0 … count − 1 made by `make`, `perCall` to an importDevices call (and transaction). */
export function importBenchDevices(
  store: EvidenceStore,
  count: number,
  make: (n: number) => ImportedDevice,
  perCall = 5_000,
): void {
  for (let n = 0; n < count;) {
    const chunk: ImportedDevice[] = [];
    for (let i = 0; i < perCall && n < count; i++, n++) chunk.push(make(n));
    store.importDevices(chunk);
  }
}
