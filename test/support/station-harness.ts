/**
 * Runs the station library in-process against real ports, with the public test-vector line key (00..1f), a fresh
 * SQLite evidence store in a temp dir, and the profile's real password policy.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyId } from '../../src/derive/key-id.js';
import { openEvidenceStore, type EvidenceStore } from '../../src/evidence/index.js';
import { createPasswordPolicy } from '../../src/policy/index.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { policyOptionsOf } from '../../src/profiles/profile-policy.js';
import type { LoadedProfile } from '../../src/profiles/profile-types.js';
import type { TraceEntry } from '../../src/protocol/run-step.js';
import { openLabelWriter } from '../../src/station/label-writer.js';
import {
  startStation,
  type DeviceEvent,
  type StationConfig,
  type StationEvent,
  type StationSummary,
} from '../../src/station/index.js';

/** The public test-vector key from DESIGN.md: never a real line key. */
export const TEST_VECTOR_LINE_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);

export interface StationRunResult {
  summary: StationSummary;
  devices: DeviceEvent[];
  events: StationEvent[];
  trace: TraceEntry[];
  store: EvidenceStore;
  dir: string;
  dbFile: string;
  labelsFile: string;
}

export async function runTestStation(options: {
  profile: string | LoadedProfile;
  ports: string[];
  count: number;
  dir?: string;
  batchId?: string;
  reprovision?: { reason: string; serials: ReadonlySet<string> };
  extra?: Partial<StationConfig>;
}): Promise<StationRunResult> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'credline-station-'));
  const dbFile = join(dir, 'evidence.db');
  const labelsFile = join(dir, 'labels.jsonl');
  const loaded = typeof options.profile === 'string' ? loadProfile(options.profile) : options.profile;
  const { profile } = loaded;
  const store = openEvidenceStore(dbFile, { create: true });
  const id = keyId(TEST_VECTOR_LINE_KEY);
  const batchId = options.batchId ?? 'TEST-BATCH';
  const stationId = options.extra?.stationId ?? 'test-station';
  store.ensureStation({ stationId });
  store.registerLineKey(id, 'TEST FIXTURE key 00..1f');
  store.ensureBatch({
    batchId,
    productType: profile.product.type,
    profileId: profile.id,
    profileRevision: profile.revision,
    profileHash: loaded.hash,
    supportEndDate: '2031-12-31',
  });
  const events: StationEvent[] = [];
  const trace: TraceEntry[] = [];
  const labels = openLabelWriter(labelsFile);
  const run = startStation({
    profile: loaded,
    lineKey: TEST_VECTOR_LINE_KEY,
    keyId: id,
    store,
    batchId,
    stationId,
    operator: 'vitest',
    ports: options.ports,
    count: options.count,
    ...(options.reprovision ? { reprovision: options.reprovision } : {}),
    labels,
    policy: createPasswordPolicy(policyOptionsOf(profile)),
    reopenMs: 200,
    ...options.extra,
    // The test's own callbacks (extra) see everything too, and the result still holds every event and trace line.
    trace: (e) => {
      trace.push(e);
      options.extra?.trace?.(e);
    },
    onEvent: (e, tally) => {
      events.push(e);
      options.extra?.onEvent?.(e, tally);
    },
  });
  const summary = await run.done.finally(() => labels.close());
  return {
    summary,
    devices: events.filter((e): e is DeviceEvent => e.type === 'device'),
    events,
    trace,
    store,
    dir,
    dbFile,
    labelsFile,
  };
}
