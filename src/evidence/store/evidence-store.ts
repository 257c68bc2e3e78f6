/**
 * The evidence store the station writes to: registry records (station, line key, batch), then per device an
 * intent before the device is touched and a result after it. Every write is one IMMEDIATE transaction on a WAL
 * file with synchronous=FULL, hash-chained (chain-writer.ts). Nothing here updates or deletes a row: corrections
 * are new events.
 *
 * @example
 * const store = openEvidenceStore('credline.db', { create: true });
 * store.ensureStation({ stationId: 'line1' });
 * store.registerLineKey(keyId(lineKey), 'line 1 2026');
 * store.ensureBatch({ batchId: 'B1', productType: 'cam', profileId: 'acme-cam', profileRevision: 3,
 *   profileHash, supportEndDate: '2030-12-31' });
 * const intent = store.recordIntent({ batchId: 'B1', serial, keyId, schemeVersion: 1, attempt: 0,
 *   fingerprint: fingerprinter(password), stationId: 'line1', port: '/dev/ttyUSB0' });
 * // … write the password, read it back …
 * store.recordResult(intent, { result: 'PASS', readbackVerified: true });
 * store.writeCheckpoint(stationSeed, { stationId: 'line1', reason: 'batch-end' });
 */
import type Database from 'better-sqlite3';
import { usageError } from '../../errors/credline-error.js';
import { backupDatabase, type BackupOptions } from './backup.js';
import { ChainWriter, type GroupOutcome } from '../chain/chain-writer.js';
import type { FieldValue } from '../chain/canonical.js';
import { signCheckpoint } from '../chain/checkpoint.js';
import type { SealedTable } from '../chain/owned-tables.js';
import { appendSealedRow } from '../chain/seals.js';
import { openDatabase, type OpenDatabaseOptions } from './database.js';
import { EvidenceQueries } from './queries.js';
import { assertTermsMatch, batchTermsRow, describeTerms, termsInForce } from './batch-terms.js';
import { alreadyProvisionedError, collisionError } from './intent-refusals.js';
import {
  BATCH_TERMS_TYPE,
  BATCH_TYPE,
  EVENT_TYPE,
  LINE_KEY_TYPE,
  REJECTION_TYPE,
  STATION_TYPE,
} from '../chain/record-types.js';
import { computeRetainUntil } from './retention.js';
import { toEventRecord } from './rows.js';
import type {
  BatchInput,
  BatchRecord,
  BatchTermsInput,
  BatchTermsRecord,
  CheckpointRecord,
  EventRecord,
  IntentInput,
  LineKeyRecord,
  RefusalInput,
  RejectionInput,
  ResultInput,
  StationInput,
  StationRecord,
  Timestamp,
} from '../types.js';
import * as check from './validate-input.js';
import {
  batchRow,
  intentRow,
  refusalRow,
  rejectionRow,
  resultFacts,
  resultRow,
  type ResultFacts,
} from './event-rows.js';
import {
  appendImportedDevices,
  withImportCheckpoints,
  type ImportedDevice,
  type ImportSummary,
} from './device-import.js';

export interface OpenEvidenceStoreOptions extends OpenDatabaseOptions {
  /** The clock (tests pin it); default `() => new Date()`. */
  now?: () => Date;
}

/** Reason codes the store itself writes. */
export const REASON_INTERRUPTED = 'interrupted';

/**
 * Opens an evidence store (creating the file 0600 when `create` is set) and migrates its schema.
 *
 * @example
 * const store = openEvidenceStore('./credline.db', { create: true });
 */
export function openEvidenceStore(file: string, options: OpenEvidenceStoreOptions = {}): EvidenceStore {
  return new EvidenceStore(openDatabase(file, options), file, options.now ?? (() => new Date()));
}

export class EvidenceStore extends EvidenceQueries {
  readonly file: string;
  readonly #chain: ChainWriter;
  readonly #now: () => Date;
  /** Intents this process wrote and has not closed yet, so recordResult need not read them back. */
  readonly #openIntents = new Map<number, EventRecord>();
  /** Registry records never change once written (append-only), so a record seen once can be reused. */
  readonly #registry = {
    batches: new Map<string, BatchRecord>(),
    keys: new Set<string>(),
    stations: new Set<string>(),
  };

  constructor(db: Database.Database, file: string, now: () => Date) {
    super(db);
    this.file = file;
    this.#now = now;
    this.#chain = db.readonly ? (undefined as unknown as ChainWriter) : new ChainWriter(db);
    if (this.#chain) this.#chain.onRollback = () => this.#forgetCaches();
  }

  /**
   * Runs several writes as one transaction (one fsync): bulk imports and tests. Station code writes each intent and
   * each result in its own transaction so that each is durable before the next step.
   */
  transaction<T>(work: () => T): T {
    return this.#writer().write(work);
  }

  /**
   * Group commit, for a writer serving several ports at once (evidence-writer-thread.ts): every work runs in its own
   * savepoint inside ONE transaction, so N writes cost one fsync; a work that throws is rolled back alone and its
   * error is returned in its place. Nothing is durable until this returns.
   */
  group(works: readonly (() => unknown)[]): GroupOutcome[] {
    return this.#writer().writeEach(works);
  }

  /** Registers this station once; returns the existing record when it is already registered. */
  ensureStation(input: StationInput): StationRecord {
    const stationId = check.requiredText('stationId', input.stationId, 200);
    const label = check.optionalText('label', input.label, 200);
    return this.#writer().write(() => {
      const known = this.getStation(stationId);
      if (known) return known;
      this.#writer().append(STATION_TYPE, { station_id: stationId, label, recorded_at: this.#time() });
      return this.getStation(stationId) as StationRecord;
    });
  }

  /** Records a line key's id and label (never its bytes). Idempotent; a different label for a known id is refused. */
  registerLineKey(keyId: string, label?: string): LineKeyRecord {
    const id = check.hexText('keyId', keyId, 16);
    const text = check.optionalText('label', label, 200);
    return this.#writer().write(() => {
      const known = this.getLineKey(id);
      if (known) {
        if (known.label !== text) {
          throw usageError(
            'EVIDENCE_KEY_LABEL',
            `${this.file}: line key ${id} is already registered with label ${JSON.stringify(known.label)}; evidence is never edited`,
          );
        }
        return known;
      }
      this.#writer().append(LINE_KEY_TYPE, { key_id: id, label: text, recorded_at: this.#time() });
      return this.getLineKey(id) as LineKeyRecord;
    });
  }

  /**
   * Opens a batch, or returns it when a batch with this id and exactly these facts exists. A batch id reused with a
   * different profile, firmware or support period is refused (a new batch id is needed).
   */
  ensureBatch(input: BatchInput): BatchRecord {
    const values = batchRow(input);
    return this.#writer().write(() => {
      const known = this.getBatch(values.batch_id);
      if (known) {
        const differs = (
          [
            'productType',
            'profileId',
            'profileRevision',
            'profileHash',
            'firmware',
            'supportEndDate',
          ] as const
        ).filter((k) => known[k] !== (k === 'firmware' ? values.firmware : input[k]));
        if (differs.length > 0) {
          throw usageError(
            'EVIDENCE_BATCH_DIFFERS',
            `${this.file}: batch ${values.batch_id} already exists with a different ${differs.join(', ')}: it holds ` +
              `product type ${known.productType}, ${describeTerms(known, termsInForce(known, this.getBatchTerms(known.batchId), undefined))}` +
              `${known.firmware ? `, firmware ${known.firmware}` : ''}; use a new batch id`,
          );
        }
        return known;
      }
      const recordedAt = this.#time();
      this.#writer().append(BATCH_TYPE, {
        ...values,
        retention_until: computeRetainUntil(recordedAt.slice(0, 10), [values.support_end_date]),
        recorded_at: recordedAt,
      });
      return this.getBatch(values.batch_id) as BatchRecord;
    });
  }

  /**
   * Binds a batch to its line key, password alphabet and length (batch-terms.ts), or checks a run against them, and
   * records a later support period end as an extension. Refuses, writing nothing: EVIDENCE_BATCH_TERMS when the key,
   * alphabet or length differ from the batch's (the message says what the batch holds), EVIDENCE_SUPPORT_END_EARLIER
   * when the support period would end earlier than recorded. Returns the terms in force and, after an extension, the
   * end it replaced.
   *
   * @example store.bindBatch({ batchId: 'B1', keyId, testKey: false, alphabet, passwordLength: 12 });
   */
  bindBatch(input: BatchTermsInput): { terms: BatchTermsRecord; extendedFrom?: string } {
    const asked = batchTermsRow(input);
    return this.#writer().write(() => {
      const batch = this.getBatch(asked.batch_id);
      if (!batch) {
        throw usageError(
          'EVIDENCE_UNKNOWN_BATCH',
          `${this.file}: batch ${asked.batch_id} is not open (ensureBatch first)`,
        );
      }
      if (!this.getLineKey(asked.key_id)) {
        throw usageError(
          'EVIDENCE_UNKNOWN_KEY',
          `${this.file}: line key ${asked.key_id} is not registered (registerLineKey first)`,
        );
      }
      const terms = this.getBatchTerms(batch.batchId);
      const held = termsInForce(batch, terms, terms ? undefined : this.firstKeyOfBatch(batch.batchId));
      assertTermsMatch(this.file, batch, held, asked);
      const supportEnd = asked.support_end_date ?? held.supportEndDate;
      const extended = supportEnd > held.supportEndDate;
      if (terms && !extended) return { terms };
      const recordedAt = this.#time();
      this.#writer().append(BATCH_TERMS_TYPE, {
        batch_id: batch.batchId,
        key_id: asked.key_id,
        test_key: terms ? Number(terms.testKey) : asked.test_key,
        alphabet: asked.alphabet,
        password_length: asked.password_length,
        support_end_date: supportEnd,
        retention_until: computeRetainUntil(batch.recordedAt.slice(0, 10), [
          batch.supportEndDate,
          supportEnd,
        ]),
        recorded_at: recordedAt,
      });
      const now = this.getBatchTerms(batch.batchId) as BatchTermsRecord;
      return extended ? { terms: now, extendedFrom: held.supportEndDate } : { terms: now };
    });
  }

  /** Records that the policy rejected one candidate (rule and detail; never the password). Returns its seq. */
  recordPolicyRejection(input: RejectionInput): number {
    const values = rejectionRow(input);
    return this.#writer().write(() => {
      this.#requireRegistered(values.batch_id, values.key_id, values.station_id);
      return this.#writer().append(REJECTION_TYPE, { ...values, recorded_at: this.#time() }).seq;
    });
  }

  /**
   * Commits the intent to provision one device, before the device is touched; returns the intent's seq for
   * recordResult. In the same transaction it closes any earlier intent for this serial that never got a result
   * (a crash) as ABORTED. Refuses (nothing written):
   * - ALREADY_PROVISIONED (exit 1) when the serial has a PASS within its product (the batch's profile id), under any
   *   line key, and no `reprovisionReason` is given;
   * - FINGERPRINT_COLLISION (exit 70) when another serial already has this password fingerprint: two devices would
   *   share a password, a defect that must stop the line.
   */
  recordIntent(input: IntentInput): number {
    const values = intentRow(input, this.#now);
    return this.#writer().write(() => {
      const batch = this.#requireRegistered(values.batch_id, values.key_id, values.station_id);
      const collision = this.fingerprintOfOtherSerial(values.fingerprint, values.serial);
      if (collision) throw collisionError(values.serial, collision);
      const pass = this.passInProduct(values.serial, batch.profileId);
      if (pass && values.reprovision_reason === null) {
        throw alreadyProvisionedError(values.serial, batch.profileId, pass);
      }
      this.#abortOpenIntents(
        this.listIncomplete(values.serial),
        'closed when the serial was provisioned again',
      );
      const row = this.#intentRow(values, batch);
      const placed = this.#writer().append(EVENT_TYPE, row);
      this.#openIntents.set(
        placed.seq,
        toEventRecord({ ...row, seq: placed.seq, prev_hash: placed.prevHash, row_hash: placed.hash }),
      );
      return placed.seq;
    });
  }

  /**
   * Records a unit refused before anything was written to it, so the evidence counts every unit the line saw: an
   * intent with no attempt and no fingerprint (no password was chosen or sent), closed in the same transaction by a
   * FAIL result with the reason. It checks nothing about earlier events of the serial (an already-provisioned or
   * duplicate serial is exactly what is being recorded) and leaves other intents open. Returns the result event.
   */
  recordRefusal(input: RefusalInput): EventRecord {
    const values = refusalRow(input, this.#now);
    const reasonCode = check.requiredText('reasonCode', input.reasonCode, 200);
    const reasonText = check.optionalText('reasonText', input.reasonText);
    return this.#writer().write(() => {
      const batch = this.#requireRegistered(values.batch_id, values.key_id, values.station_id);
      const row = this.#intentRow(values, batch);
      const placed = this.#writer().append(EVENT_TYPE, row);
      const intent = toEventRecord({
        ...row,
        seq: placed.seq,
        prev_hash: placed.prevHash,
        row_hash: placed.hash,
      });
      return this.#appendResult(intent, {
        result: 'FAIL',
        readbackVerified: false,
        reasonCode,
        reasonText,
        finishedAt: this.#time(),
      });
    });
  }

  /**
   * Commits the result for an intent, after the device was written and read back. PASS requires
   * `readbackVerified: true`. Throws EVIDENCE_INTENT_CLOSED when the intent already has a result, including when
   * another process started the same serial meanwhile (its intent closes this one as ABORTED): a serial on two
   * ports at once is a defect to investigate, never two PASSes.
   */
  recordResult(intentSeq: number, input: ResultInput): EventRecord {
    check.integerIn('intentSeq', intentSeq, 1, Number.MAX_SAFE_INTEGER);
    const facts = resultFacts(input, this.#now);
    return this.#writer().write(() => {
      const intent = this.#intent(intentSeq);
      if (!intent || intent.kind !== 'INTENT') {
        throw usageError('EVIDENCE_NO_INTENT', `${this.file}: no intent event with seq ${intentSeq}`);
      }
      const closed = this.resultSeqOf(intentSeq);
      if (closed) {
        throw usageError(
          'EVIDENCE_INTENT_CLOSED',
          `${this.file}: intent ${intentSeq} already has a result (${closed.result}, seq ${closed.seq})`,
        );
      }
      return this.#appendResult(intent, facts);
    });
  }

  /**
   * Closes the intents of one station that never got a result (it crashed or was killed) as ABORTED: what a
   * station does at start-up. Other stations' open intents on a shared file are units in hand, and stay open.
   */
  closeStationIncompleteAsAborted(stationId: string, reasonText: string): EventRecord[] {
    return this.#writer().write(() =>
      this.#abortOpenIntents(
        this.listIncomplete().filter((intent) => intent.stationId === stationId),
        reasonText,
      ),
    );
  }

  /**
   * Appends a document row to a table another module keeps in this database (declared by its owner: a
   * SealedTable) and seals it into the chain, in one transaction (joining the caller's, if any). `values` are by
   * column name; `sealedAt` is the seal's recorded_at. Returns the row's rowid.
   *
   * @example store.appendSealedRow(BATCH_PRODUCTS, { batch_id: 'B1', product_id: 'cam', recorded_at: t }, t);
   */
  appendSealedRow(
    table: SealedTable,
    values: Readonly<Record<string, FieldValue>>,
    sealedAt: string,
  ): number {
    const chain = this.#writer();
    return chain.write(() => appendSealedRow(this.db, chain, table, values, sealedAt));
  }

  /**
   * Appends a row to an append-only table another module keeps in this database without sealing it (declared in its
   * owner's migration: the work-order ledger), in one transaction (joining the caller's, if any). `values` are by
   * column name, each one of `table.columns`. Returns the row's rowid.
   *
   * @example store.appendOwnedRow(ORDER_SLOTS, { order_id: 'WO-1', serial: 'KL-001', state: 'reserved', … });
   */
  appendOwnedRow(
    table: { readonly table: string; readonly columns: readonly string[] },
    values: Readonly<Record<string, string | number | null>>,
  ): number {
    const names = Object.keys(values);
    const unknown = names.filter((name) => !table.columns.includes(name));
    if (unknown.length > 0) throw new TypeError(`${table.table} has no column ${unknown.join(', ')}`);
    return this.#writer().write(() =>
      Number(
        this.db
          .prepare(
            `INSERT INTO ${table.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
          )
          .run(...names.map((name) => values[name])).lastInsertRowid,
      ),
    );
  }

  /**
   * Signs the current chain head with the station's Ed25519 key (32-byte seed, from `openKeyFile(…).secret` of a
   * station key) and stores the checkpoint. Call at the end of every run and every batch.
   */
  writeCheckpoint(
    stationSecret: Uint8Array,
    options: { stationId: string; reason?: string; createdAt?: Timestamp },
  ): CheckpointRecord {
    const stationId = check.requiredText('stationId', options.stationId, 200);
    const reason = check.requiredText('reason', options.reason ?? 'run-end', 200);
    return this.#writer().write(() => {
      const head = this.#writer().head();
      const signed = signCheckpoint(stationSecret, {
        headSeq: head.seq,
        headHash: head.hash,
        stationId,
        reason,
        createdAt: check.timestamp('createdAt', options.createdAt, this.#now),
      });
      const id = this.db
        .prepare(
          `INSERT INTO checkpoints (head_seq, head_hash, station_id, public_key, reason, created_at, signature)
           VALUES (@headSeq, @headHash, @stationId, @publicKey, @reason, @createdAt, @signature)`,
        )
        .run(signed).lastInsertRowid;
      return { id: Number(id), ...signed };
    });
  }

  /**
   * Copies the store with SQLite's online backup (consistent while a station writes) to a new 0600 file.
   *
   * @example await store.backup('/mnt/usb/line1-2026-11-24.db');
   */
  async backup(destination: string, options: BackupOptions = {}): Promise<void> {
    await backupDatabase(this.db, destination, options);
  }

  close(): void {
    this.db.close();
  }

  /** The intent at `seq`: from memory when this process wrote it and it is still in the file, else read. */
  #intent(seq: number): EventRecord | undefined {
    const known = this.#openIntents.get(seq);
    if (known && this.rowHashOf(seq) === known.rowHash) return known;
    this.#openIntents.delete(seq);
    return this.getEvent(seq);
  }

  #writer(): ChainWriter {
    if (this.db.readonly) throw usageError('EVIDENCE_READONLY', `${this.file}: opened read-only`);
    return this.#chain;
  }

  /** Forgets what this process remembers of the file after a rolled-back transaction. */
  #forgetCaches(): void {
    this.#openIntents.clear();
    this.#registry.batches.clear();
    this.#registry.keys.clear();
    this.#registry.stations.clear();
  }

  #time(): string {
    return this.#now().toISOString();
  }

  #requireRegistered(batchId: string, keyId: string, stationId: string): BatchRecord {
    const cache = this.#registry;
    const batch = cache.batches.get(batchId) ?? this.getBatch(batchId);
    if (!batch) {
      throw usageError(
        'EVIDENCE_UNKNOWN_BATCH',
        `${this.file}: batch ${batchId} is not open (ensureBatch first)`,
      );
    }
    cache.batches.set(batchId, batch);
    if (!cache.keys.has(keyId)) {
      if (!this.getLineKey(keyId)) {
        throw usageError(
          'EVIDENCE_UNKNOWN_KEY',
          `${this.file}: line key ${keyId} is not registered (registerLineKey first)`,
        );
      }
      cache.keys.add(keyId);
    }
    if (!cache.stations.has(stationId)) {
      if (!this.getStation(stationId)) {
        throw usageError(
          'EVIDENCE_UNKNOWN_STATION',
          `${this.file}: station ${stationId} is not registered (ensureStation first)`,
        );
      }
      cache.stations.add(stationId);
    }
    return batch;
  }

  /** An INTENT row: the unit's facts, its batch's profile, and no outcome yet. */
  #intentRow<T extends object>(values: T, batch: BatchRecord) {
    return {
      ...values,
      kind: 'INTENT',
      intent_seq: null,
      profile_id: batch.profileId,
      profile_revision: batch.profileRevision,
      profile_hash: batch.profileHash,
      result: null,
      readback_verified: null,
      reason_code: null,
      reason_text: null,
      finished_at: null,
      recorded_at: this.#time(),
    };
  }

  #abortOpenIntents(intents: readonly EventRecord[], reasonText: string): EventRecord[] {
    return intents.map((intent) =>
      this.#appendResult(intent, {
        result: 'ABORTED',
        readbackVerified: false,
        reasonCode: REASON_INTERRUPTED,
        reasonText,
        finishedAt: this.#time(),
      }),
    );
  }

  #appendResult(intent: EventRecord, r: ResultFacts): EventRecord {
    const values = resultRow(intent, r, this.#time());
    const placed = this.#writer().append(EVENT_TYPE, values);
    this.#openIntents.delete(intent.seq);
    return toEventRecord({ ...values, seq: placed.seq, prev_hash: placed.prevHash, row_hash: placed.hash });
  }

  /**
   * Records many completed devices (intent, then result, each) in one transaction: the fast path for bulk imports
   * (device-import.ts). recordIntent's and recordResult's refusals apply, looked up for all devices at once; open
   * intents of an imported serial are closed as ABORTED. All or nothing: a refused device leaves the file as it was.
   * The WAL is checkpointed less often while importing (withImportCheckpoints); a commit is as durable as ever.
   *
   * @example store.importDevices(devices.map((d) => ({ ...d.intent, result: { result: 'PASS', readbackVerified: true } })));
   */
  importDevices(devices: readonly ImportedDevice[]): ImportSummary {
    const chain = this.#writer();
    const work = (): ImportSummary =>
      appendImportedDevices(
        {
          db: this.db,
          now: this.#now,
          requireRegistered: (batchId, keyId, stationId) =>
            this.#requireRegistered(batchId, keyId, stationId),
          closeOpenIntents: (serial) =>
            this.#abortOpenIntents(
              this.listIncomplete(serial),
              'closed when the serial was provisioned again',
            ).length,
          append: (row) => chain.appendRow(EVENT_TYPE, row),
          head: () => chain.head(),
          serialAt: (seq) => this.getEvent(seq)?.serial ?? '',
          keyAt: (seq) => this.getEvent(seq)?.keyId ?? '',
        },
        devices,
      );
    return withImportCheckpoints(this.db, () => chain.write(work));
  }
}
