/**
 * Shared set-up for the central-store tests: one throwaway PostgreSQL cluster per test file with the central
 * schema, login roles for two stations and a reader, and station files written through the evidence store.
 */
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { centralTarget, initCentral, registerStation, type CentralTarget } from '../../src/central/index.js';
import { openEvidenceStore, type EvidenceStore } from '../../src/evidence/index.js';
import {
  fingerprinter,
  passwordOf,
  PROFILE_HASH,
  tempDir,
  TEST_KEY_ID,
  TEST_STATION_SEED,
} from '../evidence/helpers.js';
import { startPgCluster, type PgCluster } from '../support/postgres.js';

export { tempDir };

/** TEST FIXTURE ONLY: a second station's Ed25519 seed. */
export const SECOND_STATION_SEED = Uint8Array.from({ length: 32 }, (_, i) => 0x50 + i);
export const seedOf = (stationId: string): Uint8Array =>
  stationId === 'line1' ? TEST_STATION_SEED : SECOND_STATION_SEED;
export const publicKeyOf = (seed: Uint8Array): string =>
  Buffer.from(ed25519.getPublicKey(seed)).toString('hex');

/** TEST FIXTURE ONLY: the login roles' passwords. */
const PASSWORDS = { owner: '', line1: 'line1-test-pw', line2: 'line2-test-pw', auditor: 'auditor-test-pw' };

export interface CentralFixture {
  cluster: PgCluster;
  /** Targets as each role, the password in the URL (as `--central-env` allows). */
  owner: CentralTarget;
  station: (stationId: 'line1' | 'line2') => CentralTarget;
  reader: CentralTarget;
  /** The environment a CLI run needs for `--central-env CENTRAL_URL` as `who`. */
  env: (who: 'owner' | 'line1' | 'line2' | 'auditor') => Record<string, string>;
  /** Registers another station id (signing with seedOf(id)). */
  addStation: (stationId: string) => Promise<void>;
}

export async function startCentral(): Promise<CentralFixture> {
  const cluster = await startPgCluster({ settings: { fsync: 'off', synchronous_commit: 'off' } });
  cluster.psql('CREATE DATABASE credline ENCODING UTF8');
  PASSWORDS.owner = cluster.adminPassword;
  const url = (who: keyof typeof PASSWORDS): string =>
    cluster.url('credline', who === 'owner' ? undefined : who).replace('@', `:${PASSWORDS[who]}@`);
  const target = (who: keyof typeof PASSWORDS): CentralTarget =>
    centralTarget({ centralEnv: 'U' }, { U: url(who) });
  await initCentral(target('owner'));
  cluster.psql(
    `CREATE ROLE line1 LOGIN PASSWORD '${PASSWORDS.line1}' IN ROLE credline_station;
     CREATE ROLE line2 LOGIN PASSWORD '${PASSWORDS.line2}' IN ROLE credline_station;
     CREATE ROLE auditor LOGIN PASSWORD '${PASSWORDS.auditor}' IN ROLE credline_reader;`,
    'credline',
  );
  for (const stationId of ['line1', 'line2'] as const)
    await registerStation(target('owner'), { stationId, publicKey: publicKeyOf(seedOf(stationId)) });
  return {
    cluster,
    owner: target('owner'),
    station: (stationId) => target(stationId),
    reader: target('auditor'),
    env: (who) => ({ CENTRAL_URL: url(who) }),
    addStation: async (stationId) =>
      void (await registerStation(target('owner'), { stationId, publicKey: publicKeyOf(seedOf(stationId)) })),
  };
}

/**
 * A station file for `stationId` with batch B1 and one PASS per serial (intent then result), its head signed.
 */
export function stationFile(
  stationId: string,
  serials: readonly string[],
  options: { file?: string; now?: () => Date; supportEndDate?: string } = {},
): { file: string; store: EvidenceStore } {
  const file = options.file ?? join(tempDir(), `${stationId}.db`);
  const store = openEvidenceStore(file, { create: true, ...(options.now ? { now: options.now } : {}) });
  store.ensureStation({ stationId, label: `test ${stationId}` });
  store.registerLineKey(TEST_KEY_ID, 'test line key');
  store.ensureBatch({
    batchId: 'B1',
    productType: 'camera',
    profileId: 'acme-cam',
    profileRevision: 3,
    profileHash: PROFILE_HASH,
    firmware: '1.2.3',
    supportEndDate: options.supportEndDate ?? '2030-12-31',
  });
  addUnits(store, stationId, serials);
  return { file, store };
}

export function addUnits(store: EvidenceStore, stationId: string, serials: readonly string[]): void {
  for (const serial of serials) {
    const intent = store.recordIntent({
      batchId: 'B1',
      serial,
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprinter(passwordOf(serial)),
      zxcvbnScore: 4,
      zxcvbnLog10Guesses: 12.345,
      entropyBits: 69.66,
      port: '/dev/ttyUSB0',
      stationId,
      operator: 'op7',
    });
    store.recordResult(intent, { result: 'PASS', readbackVerified: true });
  }
  store.writeCheckpoint(seedOf(stationId), { stationId });
}

export const serials = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(6, '0')}`);
