/** Turning stored rows (snake_case columns) into the camelCase records the library returns. */
import { camelCase } from '../chain/columns.js';
import {
  BATCH_TERMS_TYPE,
  BATCH_TYPE,
  EVENT_TYPE,
  LINE_KEY_TYPE,
  recordReader,
  REJECTION_TYPE,
  STATION_TYPE,
} from '../chain/record-types.js';
import type { CheckpointRecord } from '../types.js';

type Row = Record<string, unknown>;

/** Chained rows, read by the names of their column tables (record-types.ts). */
export const toStationRecord = recordReader(STATION_TYPE);
export const toLineKeyRecord = recordReader(LINE_KEY_TYPE);
export const toBatchRecord = recordReader(BATCH_TYPE);
export const toEventRecord = recordReader(EVENT_TYPE);
export const toRejectionRecord = recordReader(REJECTION_TYPE);
export const toBatchTermsRecord = recordReader(BATCH_TERMS_TYPE);

/** A checkpoint row (not chained: each is signed) with its columns camelCased. */
export function toCheckpointRecord(row: Row): CheckpointRecord {
  const out: Record<string, unknown> = {};
  for (const key in row) out[camelCase(key)] = row[key];
  return out as unknown as CheckpointRecord;
}
