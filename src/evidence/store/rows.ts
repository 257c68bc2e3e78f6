/** Turning stored rows (snake_case columns) into the camelCase records the library returns. */
import type {
  BatchRecord,
  CheckpointRecord,
  EventRecord,
  LineKeyRecord,
  RejectionRecord,
  StationRecord,
} from '../types.js';

type Row = Record<string, unknown>;

const camelNames = new Map<string, string>();

/** `row_hash` → `rowHash` for every column (names are converted once per process). */
export function camelise(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    let name = camelNames.get(key);
    if (name === undefined) {
      name = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      camelNames.set(key, name);
    }
    out[name] = row[key];
  }
  return out;
}

type EventColumn =
  | 'seq'
  | 'prev_hash'
  | 'row_hash'
  | 'kind'
  | 'intent_seq'
  | 'batch_id'
  | 'serial'
  | 'key_id'
  | 'scheme_version'
  | 'profile_id'
  | 'profile_revision'
  | 'profile_hash'
  | 'attempt'
  | 'fingerprint'
  | 'zxcvbn_score'
  | 'zxcvbn_log10_guesses'
  | 'entropy_bits'
  | 'result'
  | 'reason_code'
  | 'reason_text'
  | 'reprovision_reason'
  | 'port'
  | 'station_id'
  | 'operator'
  | 'started_at'
  | 'finished_at'
  | 'recorded_at'
  | 'readback_verified';

/** Spelled out (not camelise): the station writes two of these per device, so the shape stays monomorphic. */
export function toEventRecord(row: Row): EventRecord {
  const r = row as Record<EventColumn, never>;
  const verified = row['readback_verified'];
  return {
    seq: r['seq'],
    prevHash: r['prev_hash'],
    rowHash: r['row_hash'],
    kind: r['kind'],
    intentSeq: r['intent_seq'],
    batchId: r['batch_id'],
    serial: r['serial'],
    keyId: r['key_id'],
    schemeVersion: r['scheme_version'],
    profileId: r['profile_id'],
    profileRevision: r['profile_revision'],
    profileHash: r['profile_hash'],
    attempt: r['attempt'],
    fingerprint: r['fingerprint'],
    zxcvbnScore: r['zxcvbn_score'],
    zxcvbnLog10Guesses: r['zxcvbn_log10_guesses'],
    entropyBits: r['entropy_bits'],
    result: r['result'],
    readbackVerified: verified === null || verified === undefined ? null : verified === 1,
    reasonCode: r['reason_code'],
    reasonText: r['reason_text'],
    reprovisionReason: r['reprovision_reason'],
    port: r['port'],
    stationId: r['station_id'],
    operator: r['operator'],
    startedAt: r['started_at'],
    finishedAt: r['finished_at'],
    recordedAt: r['recorded_at'],
  };
}

export const toStationRecord = (row: Row): StationRecord => camelise(row) as unknown as StationRecord;
export const toLineKeyRecord = (row: Row): LineKeyRecord => camelise(row) as unknown as LineKeyRecord;
export const toBatchRecord = (row: Row): BatchRecord => camelise(row) as unknown as BatchRecord;
export const toRejectionRecord = (row: Row): RejectionRecord => camelise(row) as unknown as RejectionRecord;
export const toCheckpointRecord = (row: Row): CheckpointRecord =>
  camelise(row) as unknown as CheckpointRecord;
