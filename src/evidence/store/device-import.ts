/**
 * Bulk import of completed devices (intent and result each) into the chain, many per transaction, with the
 * refusals of recordIntent and recordResult: a fingerprint another serial has (FINGERPRINT_COLLISION, stops the
 * import), a second PASS for a serial within its product (the batch's profile id), under any line key, without a
 * re-provision reason (ALREADY_PROVISIONED: the station's rule, intent-refusals.ts), a PASS without a verified
 * read-back. What recordIntent looks up one device at a time is looked up here for all devices of a call
 * in one query (conflictsSql); the devices of the call among themselves are checked in memory. One clock reading
 * serves the whole call: every record of an import is recorded at the same moment (and in one transaction).
 */
import type Database from 'better-sqlite3';
import type { FieldValue } from '../chain/canonical.js';
import { intentRow, resultFacts, type ResultFacts } from './event-rows.js';
import { alreadyProvisionedError, collisionError } from './intent-refusals.js';
import { EVENT_TYPE, fieldIndexes } from '../chain/record-types.js';
import type { BatchRecord, ChainHead, IntentInput, ResultInput } from '../types.js';

/** One device to import: its intent's facts and the result it came to. */
export interface ImportedDevice extends IntentInput {
  result: ResultInput;
}

export interface ImportSummary {
  devices: number;
  /** Records appended: two per device, plus an ABORTED result for every open intent the import closed. */
  events: number;
  /** The chain head after the import. */
  head: ChainHead;
}

/** What importDevices needs from the store (all inside the store's write transaction). */
export interface ImportTarget {
  db: Database.Database;
  now: () => Date;
  /** The batch, after checking that the batch, key and station are registered. */
  requireRegistered(batchId: string, keyId: string, stationId: string): BatchRecord;
  /** Closes the serial's intents that have no result as ABORTED (as recordIntent does); returns how many. */
  closeOpenIntents(serial: string): number;
  /** Appends one event (values in canonical field order; `seq` is assigned) and returns its place in the chain. */
  append(row: FieldValue[]): ChainHead;
  /** The chain head (what an empty import returns). */
  head(): ChainHead;
  /** The serial of the event at `seq`. */
  serialAt(seq: number): string;
  /** The line key id of the event at `seq`. */
  keyAt(seq: number): string;
}

/**
 * Per device of a call, what the file already holds against it (only devices with something are returned). Most
 * devices of an import are new: `known` keeps the devices whose serial or fingerprint prefix the file has at all
 * (two index probes), and only those get the three lookups.
 */
const conflictsSql = `
WITH device (i, serial, profile_id, fingerprint) AS (
  SELECT key, value ->> 0, value ->> 1, value ->> 2 FROM json_each(@devices)
), known AS (
  SELECT * FROM device
  WHERE EXISTS (SELECT 1 FROM provisioning_events e WHERE e.serial = device.serial)
    OR EXISTS (SELECT 1 FROM provisioning_events e
      WHERE e.kind = 'INTENT' AND substr(e.fingerprint, 1, 16) = substr(device.fingerprint, 1, 16))
), found AS (
  SELECT i,
    (SELECT seq FROM provisioning_events e
      WHERE e.kind = 'INTENT' AND substr(e.fingerprint, 1, 16) = substr(known.fingerprint, 1, 16)
        AND e.fingerprint = known.fingerprint AND e.serial <> known.serial
      ORDER BY seq LIMIT 1) AS collision_seq,
    (SELECT max(seq) FROM provisioning_events e
      WHERE e.serial = known.serial AND e.profile_id = known.profile_id AND e.result = 'PASS') AS pass_seq,
    EXISTS (SELECT 1 FROM provisioning_events e
      WHERE e.serial = known.serial AND e.kind = 'INTENT'
        AND NOT EXISTS (SELECT 1 FROM provisioning_events r WHERE r.intent_seq = e.seq)) AS open
  FROM known
)
SELECT i, collision_seq, pass_seq, open FROM found
WHERE collision_seq IS NOT NULL OR pass_seq IS NOT NULL OR open`;

interface Conflict {
  i: number;
  collision_seq: number | null;
  pass_seq: number | null;
  open: 0 | 1;
}

/**
 * Appends every device's intent and result, in order, or throws (and the caller's transaction appends nothing).
 * Call inside one write transaction.
 *
 * @example appendImportedDevices(target, [{ batchId: 'B1', serial, keyId, …, result: { result: 'PASS', readbackVerified: true } }]);
 */
export function appendImportedDevices(
  target: ImportTarget,
  devices: readonly ImportedDevice[],
): ImportSummary {
  const time = target.now().toISOString();
  const clock = (): Date => new Date(time);
  const intents: ReturnType<typeof intentRow>[] = [];
  const results: ResultFacts[] = [];
  for (const device of devices) {
    intents.push(intentRow(device, clock));
    results.push(resultFacts(device.result, clock));
  }
  const batches = intents.map((intent) =>
    target.requireRegistered(intent.batch_id, intent.key_id, intent.station_id),
  );
  const conflicts = new Map<number, Conflict>();
  const query = target.db.prepare(conflictsSql);
  const keys = JSON.stringify(
    intents.map((intent, i) => [intent.serial, batches[i]?.profileId, intent.fingerprint]),
  );
  for (const conflict of query.all({ devices: keys }) as Conflict[]) conflicts.set(conflict.i, conflict);

  const firstIntent = new Map<string, { serial: string; seq: number }>(); // fingerprint → first intent here
  const lastPass = new Map<string, { seq: number; key_id: string }>(); // serial NUL profile id → latest PASS here
  const closed = new Set<string>(); // serials whose open intents in the file are closed already
  let events = 0;
  let head: ChainHead | undefined;
  for (let i = 0; i < intents.length; i++) {
    const intent = intents[i] as ReturnType<typeof intentRow>;
    const result = results[i] as ResultFacts;
    const batch = batches[i] as BatchRecord;
    const earlier = conflicts.get(i);
    const other =
      earlier?.collision_seq != null
        ? { serial: target.serialAt(earlier.collision_seq), seq: earlier.collision_seq }
        : firstIntent.get(intent.fingerprint);
    if (other && other.serial !== intent.serial) throw collisionError(intent.serial, other);
    const passKey = `${intent.serial}\u0000${batch.profileId}`;
    const pass =
      lastPass.get(passKey) ??
      (earlier?.pass_seq != null
        ? { seq: earlier.pass_seq, key_id: target.keyAt(earlier.pass_seq) }
        : undefined);
    if (pass && intent.reprovision_reason === null) {
      throw alreadyProvisionedError(intent.serial, batch.profileId, pass);
    }
    if (earlier?.open && !closed.has(intent.serial)) {
      events += target.closeOpenIntents(intent.serial);
      closed.add(intent.serial);
    }
    const values = intentValues(intent, batch, time);
    const placed = target.append(values);
    if (!firstIntent.has(intent.fingerprint)) {
      firstIntent.set(intent.fingerprint, { serial: intent.serial, seq: placed.seq });
    }
    head = target.append(resultValues(values, placed.seq, result));
    if (result.result === 'PASS') lastPass.set(passKey, { seq: head.seq, key_id: intent.key_id });
    events += 2;
  }
  return { devices: devices.length, events, head: head ?? target.head() };
}

/**
 * WAL pages an import lets accumulate before SQLite copies them into the database file (40 MiB at 4 KiB pages;
 * SQLite's default, which the store keeps otherwise, is 1,000). One 10,000-event commit appends 1,250 pages to the
 * WAL in a new file and about 4,000 at 1,000,000 events (the fingerprint-prefix index takes its entries at random
 * places: each commit dirties thousands of its leaf pages). With the default, every import commit is followed by a
 * checkpoint that copies all of them into the database file and fsyncs it; with this interval a page that several
 * commits dirty is copied once per checkpoint. Importing 1,000,000 events writes 2.3 GB with the default, 1.9 GB
 * with this (1.7 GB with 30,000 pages, for a WAL three times as large). Durability does not change: a commit is on
 * disk once its WAL frames are fsynced, checkpointed or not.
 */
export const IMPORT_CHECKPOINT_PAGES = 10_000;

/**
 * Runs `work` (an import's transaction, committed inside it) with the WAL checkpointed every
 * IMPORT_CHECKPOINT_PAGES pages instead of the connection's own setting, which it restores after. What the import
 * left in the WAL is checkpointed by the next commit that finds more than the usual 1,000 pages there, or on close.
 * A connection with a larger interval, or with automatic checkpoints off, is left as it is.
 *
 * @example withImportCheckpoints(db, () => chain.write(() => appendImportedDevices(target, devices)));
 */
export function withImportCheckpoints<T>(db: Database.Database, work: () => T): T {
  const pages = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  if (pages <= 0 || pages >= IMPORT_CHECKPOINT_PAGES) return work();
  db.pragma(`wal_autocheckpoint = ${IMPORT_CHECKPOINT_PAGES}`);
  try {
    return work();
  } finally {
    db.pragma(`wal_autocheckpoint = ${pages}`);
  }
}

/** Where each credline.event.v1 field sits in a row of canonical values: the rows below are built by name. */
const AT = fieldIndexes(EVENT_TYPE);
const BLANK_EVENT: readonly FieldValue[] = EVENT_TYPE.fields.map(() => null);

/** An INTENT's values in canonical field order (`seq` 0: the chain writer assigns it). */
function intentValues(
  intent: ReturnType<typeof intentRow>,
  batch: BatchRecord,
  recordedAt: string,
): FieldValue[] {
  const row = BLANK_EVENT.slice();
  row[AT.seq] = 0;
  row[AT.kind] = 'INTENT';
  row[AT.batch_id] = intent.batch_id;
  row[AT.serial] = intent.serial;
  row[AT.key_id] = intent.key_id;
  row[AT.scheme_version] = intent.scheme_version;
  row[AT.profile_id] = batch.profileId;
  row[AT.profile_revision] = batch.profileRevision;
  row[AT.profile_hash] = batch.profileHash;
  row[AT.attempt] = intent.attempt;
  row[AT.fingerprint] = intent.fingerprint;
  row[AT.zxcvbn_score] = intent.zxcvbn_score;
  row[AT.zxcvbn_log10_guesses] = intent.zxcvbn_log10_guesses;
  row[AT.entropy_bits] = intent.entropy_bits;
  row[AT.reprovision_reason] = intent.reprovision_reason;
  row[AT.port] = intent.port;
  row[AT.station_id] = intent.station_id;
  row[AT.operator] = intent.operator;
  row[AT.started_at] = intent.started_at;
  row[AT.recorded_at] = recordedAt;
  return row;
}

/** The RESULT closing `intent` (its values, as intentValues gave them): the intent's facts, then the outcome. */
function resultValues(intent: readonly FieldValue[], intentSeq: number, r: ResultFacts): FieldValue[] {
  const row = intent.slice();
  row[AT.kind] = 'RESULT';
  row[AT.intent_seq] = intentSeq;
  row[AT.result] = r.result;
  row[AT.readback_verified] = r.readbackVerified ? 1 : 0;
  row[AT.reason_code] = r.reasonCode;
  row[AT.reason_text] = r.reasonText;
  row[AT.finished_at] = r.finishedAt;
  return row;
}
