/** Turning stored rows (snake_case columns) into the camelCase records the library returns. */
import type {
  BatchRecord,
  CheckpointRecord,
  EventRecord,
  LineKeyRecord,
  RejectionRecord,
  StationRecord,
} from './types.js';

type Row = Record<string, unknown>;

/** `row_hash` → `rowHash`, dropping `record_type` padding columns that are NULL when `dropNulls` is set. */
export function camelise(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return out;
}

export function toEventRecord(row: Row): EventRecord {
  const record = camelise(row);
  const verified = record['readbackVerified'];
  record['readbackVerified'] = verified === null || verified === undefined ? null : verified === 1;
  return record as unknown as EventRecord;
}

export const toStationRecord = (row: Row): StationRecord => camelise(row) as unknown as StationRecord;
export const toLineKeyRecord = (row: Row): LineKeyRecord => camelise(row) as unknown as LineKeyRecord;
export const toBatchRecord = (row: Row): BatchRecord => camelise(row) as unknown as BatchRecord;
export const toRejectionRecord = (row: Row): RejectionRecord => camelise(row) as unknown as RejectionRecord;
export const toCheckpointRecord = (row: Row): CheckpointRecord =>
  camelise(row) as unknown as CheckpointRecord;
