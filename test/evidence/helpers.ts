/** Shared set-up for the evidence tests: a fresh store in a temp dir, a test line key, a test station seed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { createFingerprinter, keyId } from '../../src/derive/key-id.js';
import { openEvidenceStore, type EvidenceStore } from '../../src/evidence/index.js';

/** TEST FIXTURE ONLY: the derivation test-vector key 00 01 … 1f. */
export const TEST_LINE_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
export const TEST_KEY_ID = keyId(TEST_LINE_KEY);
/** TEST FIXTURE ONLY: an Ed25519 seed for signing checkpoints. */
export const TEST_STATION_SEED = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
export const PROFILE_HASH = 'c0ffee'.padEnd(64, '0');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'credline-evidence-'));
  dirs.push(dir);
  return dir;
}

/** A new store with station `line1`, the test key and batch `B1` registered; `now` pins its clock. */
export function newStore(file = join(tempDir(), 'credline.db'), now?: () => Date): EvidenceStore {
  const store = openEvidenceStore(file, { create: true, ...(now ? { now } : {}) });
  store.ensureStation({ stationId: 'line1', label: 'test bench' });
  store.registerLineKey(TEST_KEY_ID, 'test line key');
  store.ensureBatch({
    batchId: 'B1',
    productType: 'camera',
    profileId: 'acme-cam',
    profileRevision: 3,
    profileHash: PROFILE_HASH,
    firmware: '1.2.3',
    supportEndDate: '2030-12-31',
  });
  return store;
}

const derive = createPasswordDeriver(TEST_LINE_KEY, {
  profileId: 'acme-cam',
  alphabet: UNAMBIGUOUS56,
  length: 12,
});
const fingerprinter = createFingerprinter(TEST_LINE_KEY);

export function passwordOf(serial: string): string {
  return derive(serial, 0).password as string;
}

/** Provisions one device as the station would: intent, then a PASS result. Returns the intent seq. */
export function provision(store: EvidenceStore, serial: string, result: 'PASS' | 'FAIL' = 'PASS'): number {
  const intent = store.recordIntent({
    batchId: 'B1',
    serial,
    keyId: TEST_KEY_ID,
    schemeVersion: 1,
    attempt: 0,
    fingerprint: fingerprinter(passwordOf(serial)),
    zxcvbnScore: 4,
    zxcvbnLog10Guesses: 12,
    entropyBits: 69.66,
    port: '/dev/ttyUSB0',
    stationId: 'line1',
    operator: 'op7',
  });
  store.recordResult(intent, {
    result,
    readbackVerified: result === 'PASS',
    ...(result === 'FAIL'
      ? { reasonCode: 'readback-mismatch', reasonText: 'device answered a different value' }
      : {}),
  });
  return intent;
}

export { fingerprinter };
