/** A real evidence database for the compliance tests: one batch provisioned with the derivation test-vector key. */
import { join } from 'node:path';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { createFingerprinter, keyId } from '../../src/derive/key-id.js';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { temporaryDirectory } from './helpers.js';

/** TEST FIXTURE ONLY: the derivation test-vector key 00 01 … 1f (never a real line key). */
const TEST_FIXTURE_LINE_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);

export interface FixtureOptions {
  batchId?: string;
  devices?: number;
  supportEndDate?: string;
  /** Provision nothing: a batch with no PASS. */
  empty?: boolean;
  /** Record policy figures (a whole-number log10 guesses, 12, is stored as the real 12.000). */
  figures?: boolean;
  /** After provisioning, extend the batch's support period to this date (a batch-terms record, as provision does). */
  extendSupportTo?: string;
}

/** Creates `credline.db` in a new temp dir; returns its path. */
export function createEvidenceFixture(options: FixtureOptions = {}): string {
  const file = join(temporaryDirectory('credline-compliance-db-'), 'credline.db');
  const store = openEvidenceStore(file, { create: true });
  const { profile, hash } = loadProfile('credline-agent');
  const batchId = options.batchId ?? 'DEMO-B1';
  store.ensureStation({ stationId: 'line1', label: 'test bench' });
  const id = keyId(TEST_FIXTURE_LINE_KEY);
  store.registerLineKey(id, 'test fixture key');
  store.ensureBatch({
    batchId,
    productType: 'demo-camera',
    profileId: profile.id,
    profileRevision: profile.revision,
    profileHash: hash,
    supportEndDate: options.supportEndDate ?? '2031-12-31',
  });
  const derive = createPasswordDeriver(TEST_FIXTURE_LINE_KEY, {
    profileId: profile.id,
    alphabet: UNAMBIGUOUS56,
    length: 12,
  });
  const fingerprint = createFingerprinter(TEST_FIXTURE_LINE_KEY);
  const devices = options.empty ? 0 : (options.devices ?? 5);
  for (let i = 0; i < devices; i++) {
    const serial = `DEMO-${String(100001 + i)}`;
    const password = derive(serial, 0).password as string;
    const intent = store.recordIntent({
      batchId,
      serial,
      keyId: id,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprint(password),
      stationId: 'line1',
      port: '/dev/ttyUSB0',
      ...(options.figures ? { zxcvbnScore: 4, zxcvbnLog10Guesses: 12, entropyBits: 69.726 } : {}),
    });
    store.recordResult(intent, { result: 'PASS', readbackVerified: true });
  }
  if (options.extendSupportTo !== undefined) {
    const terms = { batchId, keyId: id, testKey: true, alphabet: UNAMBIGUOUS56, passwordLength: 12 };
    store.bindBatch(terms);
    store.bindBatch({ ...terms, supportEndDate: options.extendSupportTo });
  }
  store.close();
  return file;
}

/** The passwords the fixture's devices were given (to check that no output contains them). */
export function fixturePasswords(devices: number): string[] {
  const { profile } = loadProfile('credline-agent');
  const derive = createPasswordDeriver(TEST_FIXTURE_LINE_KEY, {
    profileId: profile.id,
    alphabet: UNAMBIGUOUS56,
    length: 12,
  });
  return Array.from(
    { length: devices },
    (_, i) => derive(`DEMO-${String(100001 + i)}`, 0).password as string,
  );
}
