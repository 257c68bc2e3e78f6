/**
 * `evidence verify`: re-checks a store file without changing it (opened read-only). Reports, in chain order, every
 * place the file departs from what credline wrote: a deleted, inserted, edited or reordered record, a truncated
 * tail (against checkpoints or an anchored head), a missing or altered append-only trigger, a forged or foreign
 * checkpoint, SQLite corruption, and a compliance row that does not match its seal in the chain (or has none, or
 * is gone). Records after the last valid checkpoint are reported as unsigned.
 */
import type Database from 'better-sqlite3';
import { CredlineError } from '../../errors/credline-error.js';
import { stationKeyId } from '../../keys/index.js';
import { canonicalText, recordHash, GENESIS_HASH, type FieldKind } from '../chain/canonical.js';
import { iterateChainRows, userVersion } from '../chain/chain-rows.js';
import { sealedTablesAt } from '../chain/owned-tables.js';
import { sealDigest, sealKey } from '../chain/seals.js';
import { checkpointSignatureValid } from '../chain/checkpoint.js';
import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase } from '../store/database.js';
import { integrityMessages, startIntegrityCheck } from './integrity-check.js';
import { expectedTriggers } from '../chain/migrations.js';
import {
  COMPLIANCE_SEAL_TYPE,
  encodedKinds,
  fieldOf,
  toChainRecord,
  type ChainRecord,
} from '../chain/record-types.js';
import { toCheckpointRecord } from '../store/rows.js';
import type { ChainHead, CheckpointRecord } from '../types.js';

export interface VerifyOptions {
  /** A head printed earlier by `evidence head`: `HASH` or `SEQ:HASH`. The chain must still contain it. */
  expectHead?: string;
  /** Lowercase hex Ed25519 public keys the checkpoints must be signed with (pins the station). */
  stationPublicKeys?: readonly string[];
  /** Stop collecting after this many problems (the first is the one that matters); default 50. */
  maxProblems?: number;
}

export type ProblemKind = 'integrity' | 'trigger' | 'schema' | 'chain' | 'checkpoint' | 'head' | 'compliance';

export interface VerifyProblem {
  kind: ProblemKind;
  /** The chain position concerned, when there is one. */
  seq?: number;
  message: string;
}

export interface VerifyReport {
  file: string;
  ok: boolean;
  schemaVersion: number;
  records: number;
  head: ChainHead;
  problems: VerifyProblem[];
  /** True when more problems existed than were collected. */
  truncatedProblems: boolean;
  checkpoints: {
    total: number;
    valid: number;
    lastSignedSeq: number;
    /** The signers' public keys (lowercase hex). */
    signers: string[];
    /** The same signers with their station key ids, as `keys info` and `provision` show them. */
    signerKeys: { keyId: string; publicKey: string }[];
  };
  /** True when the checkpoints had to be signed by given keys (`stationPublicKeys`); else any signer is accepted. */
  signerPinned: boolean;
  /** Records after the last valid checkpoint: not covered by any signature. */
  unsigned: number;
  /** Where the `expectHead` anchor was found, when one was given. */
  anchor?: { seq: number; hash: string; found: boolean };
  /**
   * Compliance rows (product records, batch links, issued statements) and how many of them have no seal because
   * the file predates seals (schema < 5, read-only: the next write open seals them).
   */
  compliance: { rows: number; unsealed: number };
}

const REORDER_WINDOW = 64;

/**
 * Verifies the evidence file at `file`.
 *
 * @example
 * const report = verifyEvidence('credline.db', { expectHead: '1234:9f86d0…' });
 * if (!report.ok) console.log(report.problems[0]?.message);
 */
export function verifyEvidence(file: string, options: VerifyOptions = {}): VerifyReport {
  const db = openDatabase(file, { readonly: true });
  try {
    db.exec('BEGIN'); // one snapshot: checkpoints and chain agree even while a station writes
    return new Verifier(db, file, options).run();
  } catch (error) {
    if (!isCorruption(error)) throw error;
    return damagedFileReport(file, error instanceof Error ? error.message : String(error));
  } finally {
    endReadTransaction(db);
    db.close();
  }
}

/** SQLite's own verdict that the file is damaged (a page overwritten, truncated, not a database). */
function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** The report for a file SQLite cannot read through: nothing in it can be trusted, so it fails as a whole. */
function damagedFileReport(file: string, sqliteMessage: string): VerifyReport {
  return {
    file,
    ok: false,
    schemaVersion: 0,
    records: 0,
    head: { seq: 0, hash: GENESIS_HASH },
    problems: [
      {
        kind: 'integrity',
        message: `SQLite cannot read the file (${sqliteMessage}): it was damaged or edited outside SQLite; restore the last backup and compare its head`,
      },
    ],
    truncatedProblems: false,
    checkpoints: { total: 0, valid: 0, lastSignedSeq: 0, signers: [], signerKeys: [] },
    signerPinned: false,
    unsigned: 0,
    compliance: { rows: 0, unsealed: 0 },
  };
}

/**
 * Ends verify's read-only snapshot. On a corrupt file SQLite can refuse even this COMMIT ("database disk image is
 * malformed"); nothing was written, so that must not hide the report that names the corruption.
 */
function endReadTransaction(db: Database.Database): void {
  if (!db.inTransaction) return;
  try {
    db.exec('COMMIT');
  } catch {
    // a read transaction: closing the connection ends it
  }
}

class Verifier {
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #options: VerifyOptions;
  readonly #max: number;
  readonly problems: VerifyProblem[] = [];
  #dropped = false;

  constructor(db: Database.Database, file: string, options: VerifyOptions) {
    this.#db = db;
    this.#file = file;
    this.#options = options;
    this.#max = options.maxProblems ?? 50;
  }

  run(): VerifyReport {
    // integrity_check runs on the other core while this thread walks the chain; its problems still come first.
    const integrity = startIntegrityCheck(
      this.#file,
      () => integrityMessages(this.#db),
      DEFAULT_BUSY_TIMEOUT_MS,
    );
    const version = userVersion(this.#db);
    this.#checkTriggers(version);
    const checkpoints = version >= 2 ? this.#readCheckpoints() : [];
    const wanted = new Set(checkpoints.map((c) => c.headSeq));
    const anchor = parseAnchor(this.#options.expectHead);
    const seen = new Map<number, string>([[0, GENESIS_HASH]]);
    let head: ChainHead = { seq: 0, hash: GENESIS_HASH };
    let records = 0;
    let anchorSeq: number | undefined = anchor && anchor.hash === GENESIS_HASH ? 0 : undefined;
    const seals: ChainRecord[] = [];
    try {
      for (const row of this.#walk()) {
        records++;
        if (row.type === COMPLIANCE_SEAL_TYPE) seals.push(row);
        head = { seq: row.seq, hash: row.rowHash };
        if (wanted.has(row.seq)) seen.set(row.seq, row.rowHash);
        if (anchor && row.rowHash === anchor.hash && anchorSeq === undefined) anchorSeq = row.seq;
      }
    } catch (error) {
      if (error instanceof CredlineError) throw error;
      this.#problem({ kind: 'schema', message: `the chain cannot be read: ${(error as Error).message}` });
    }
    const compliance = this.#checkSeals(version, seals);
    const lastSignedSeq = this.#checkCheckpoints(checkpoints, seen, head);
    const anchorReport = anchor && this.#checkAnchor(anchor, anchorSeq, head);
    this.#putIntegrityFirst(integrity());
    const signers = [...new Set(checkpoints.map((c) => c.publicKey))];
    return {
      file: this.#file,
      ok: this.problems.length === 0,
      schemaVersion: version,
      records,
      head,
      problems: this.problems,
      truncatedProblems: this.#dropped,
      checkpoints: {
        total: checkpoints.length,
        valid: checkpoints.filter((c) => this.#trusted(c) && seen.get(c.headSeq) === c.headHash).length,
        lastSignedSeq,
        signers,
        signerKeys: signers.map((publicKey) => ({ keyId: stationKeyId(publicKey), publicKey })),
      },
      signerPinned: this.#options.stationPublicKeys !== undefined,
      unsigned: head.seq - lastSignedSeq,
      ...(anchorReport ? { anchor: anchorReport } : {}),
      compliance,
    };
  }

  /**
   * Checks every compliance row against its seal in the chain: a row whose digest differs was edited after it was
   * sealed, a row with no seal was inserted outside credline, a seal whose row is gone marks a deleted row.
   */
  #checkSeals(version: number, seals: readonly ChainRecord[]): VerifyReport['compliance'] {
    const tables = sealedTablesAt(version);
    const sealed = version >= COMPLIANCE_SEAL_TYPE.sinceVersion;
    if (tables.length === 0) return { rows: 0, unsealed: 0 };
    const bySubject = new Map<string, ChainRecord>();
    for (const seal of seals) {
      const table = String(fieldOf(seal, 'sealed_table'));
      const key = String(fieldOf(seal, 'sealed_key'));
      const subject = `${table}\u0000${key}`;
      const first = bySubject.get(subject);
      if (first) {
        this.#problem({
          kind: 'compliance',
          seq: seal.seq,
          message: `${table} row ${key} is sealed twice (seq ${first.seq} and ${seal.seq}): a seal was inserted`,
        });
      } else bySubject.set(subject, seal);
    }
    let rows = 0;
    for (const spec of tables) {
      for (const row of this.#db.prepare(`SELECT * FROM ${spec.table} ORDER BY rowid`).iterate() as Iterable<
        Record<string, unknown>
      >) {
        rows++;
        if (!sealed) continue;
        const key = sealKey(spec, row);
        const subject = `${spec.table}\u0000${key}`;
        const seal = bySubject.get(subject);
        const what = `${spec.table} row ${key} (${spec.describe(row)})`;
        if (!seal) {
          this.#problem({
            kind: 'compliance',
            message: `${what} has no seal in the chain: it was inserted outside credline`,
          });
          continue;
        }
        bySubject.delete(subject);
        let digest: string;
        try {
          digest = sealDigest(spec, row);
        } catch (error) {
          digest = `(cannot be encoded: ${(error as Error).message})`;
        }
        const sealedDigest = fieldOf(seal, 'sealed_digest');
        if (digest !== sealedDigest) {
          this.#problem({
            kind: 'compliance',
            seq: seal.seq,
            message: `${what} does not match the digest sealed at seq ${seal.seq} (sealed ${String(sealedDigest)}, row now ${digest}): the row was edited after it was sealed`,
          });
        }
      }
    }
    for (const seal of bySubject.values()) {
      this.#problem({
        kind: 'compliance',
        seq: seal.seq,
        message: `${String(fieldOf(seal, 'sealed_table'))} row ${String(fieldOf(seal, 'sealed_key'))}, sealed at seq ${seal.seq}, is gone: the row was deleted`,
      });
    }
    return { rows, unsealed: sealed ? 0 : rows };
  }

  /**
   * Reports an anchor (`--expect-head`) that is not in the chain as given: one finding, and `found` only when the
   * hash is at the seq given (or no seq was given).
   */
  #checkAnchor(
    anchor: { seq?: number; hash: string },
    foundAt: number | undefined,
    head: ChainHead,
  ): NonNullable<VerifyReport['anchor']> {
    if (foundAt !== undefined && (anchor.seq === undefined || anchor.seq === foundAt)) {
      return { seq: foundAt, hash: anchor.hash, found: true };
    }
    const given = anchor.seq === undefined ? anchor.hash : `${anchor.seq}:${anchor.hash}`;
    let message: string;
    if (foundAt === undefined) {
      message =
        `the expected head ${given} is not in the chain, which ends at seq ${head.seq}: records were deleted ` +
        'from the end (truncated) or rewritten';
    } else if (this.problems.some((p) => p.kind === 'chain' && p.seq === foundAt)) {
      message = `the expected head ${given} now sits at seq ${foundAt}: records were renumbered`;
    } else {
      message =
        `the expected head ${given} does not match the chain: that hash is the intact record at seq ${foundAt}, ` +
        `and a row_hash covers its seq, so it was never seq ${anchor.seq}; the anchor was recorded wrongly ` +
        `(evidence head printed ${foundAt}:${anchor.hash}): check where it was recorded`;
    }
    this.#problem({ kind: 'head', ...(anchor.seq === undefined ? {} : { seq: anchor.seq }), message });
    return { seq: anchor.seq ?? -1, hash: anchor.hash, found: false };
  }

  #problem(problem: VerifyProblem): void {
    if (this.problems.length < this.#max) this.problems.push(problem);
    else this.#dropped = true;
  }

  /** Puts integrity_check's problems (at most 5) before the others, keeping at most maxProblems in all. */
  #putIntegrityFirst(messages: readonly string[]): void {
    const found: VerifyProblem[] = messages
      .filter((m) => m !== 'ok')
      .slice(0, 5)
      .map((message) => ({ kind: 'integrity', message: `SQLite integrity_check: ${message}` }));
    if (found.length === 0) return;
    const all = [...found, ...this.problems];
    if (all.length > this.#max) this.#dropped = true;
    this.problems.splice(0, this.problems.length, ...all.slice(0, this.#max));
  }

  #checkTriggers(version: number): void {
    const stored = new Map(
      (
        this.#db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").all() as {
          name: string;
          sql: string;
        }[]
      ).map((t) => [t.name, t.sql]),
    );
    for (const trigger of expectedTriggers(version)) {
      const sql = stored.get(trigger.name);
      if (sql === undefined) {
        this.#problem({
          kind: 'trigger',
          message: `trigger ${trigger.name} is missing: ${trigger.table} rows can be ${trigger.name.endsWith('_update') ? 'changed' : 'deleted'} unnoticed by SQLite (the file was altered)`,
        });
      } else if (normaliseSql(sql) !== normaliseSql(trigger.sql)) {
        this.#problem({
          kind: 'trigger',
          message: `trigger ${trigger.name} on ${trigger.table} was altered (the file was altered)`,
        });
      }
    }
  }

  #readCheckpoints(): CheckpointRecord[] {
    return (this.#db.prepare('SELECT * FROM checkpoints ORDER BY id').all() as Record<string, unknown>[]).map(
      toCheckpointRecord,
    );
  }

  #trusted(c: CheckpointRecord): boolean {
    const pinned = this.#options.stationPublicKeys;
    return checkpointSignatureValid(c) && (!pinned || pinned.includes(c.publicKey));
  }

  /** Checks every checkpoint; returns the highest seq covered by a valid, trusted one. */
  #checkCheckpoints(
    checkpoints: readonly CheckpointRecord[],
    seen: Map<number, string>,
    head: ChainHead,
  ): number {
    let lastSigned = 0;
    const pinned = this.#options.stationPublicKeys;
    for (const c of checkpoints) {
      const label = `checkpoint ${c.id} (seq ${c.headSeq}, station ${c.stationId})`;
      if (!checkpointSignatureValid(c)) {
        this.#problem({
          kind: 'checkpoint',
          seq: c.headSeq,
          message: `${label}: the signature is not valid (forged or edited checkpoint)`,
        });
        continue;
      }
      if (pinned && !pinned.includes(c.publicKey)) {
        this.#problem({
          kind: 'checkpoint',
          seq: c.headSeq,
          message: `${label}: signed by station key ${stationKeyId(c.publicKey)} (public key ${c.publicKey}), not by the expected station key`,
        });
        continue;
      }
      const hash = seen.get(c.headSeq);
      if (hash === undefined) {
        this.#problem({
          kind: 'checkpoint',
          seq: c.headSeq,
          message: `${label}: signs seq ${c.headSeq} but the chain ends at seq ${head.seq}: records were deleted from the end (truncated)`,
        });
      } else if (hash !== c.headHash) {
        this.#problem({
          kind: 'checkpoint',
          seq: c.headSeq,
          message: `${label}: signed head ${c.headHash} but the chain has ${hash} at seq ${c.headSeq}: records up to seq ${c.headSeq} were rewritten`,
        });
      } else {
        lastSigned = Math.max(lastSigned, c.headSeq);
      }
    }
    if (pinned && head.seq > 0 && lastSigned === 0) {
      this.#problem({
        kind: 'checkpoint',
        message: 'no valid checkpoint is signed by the expected station key',
      });
    }
    return lastSigned;
  }

  /** Walks the chain in seq order, reporting gaps, duplicates, broken links and rows that do not hash. */
  *#walk(): Generator<ChainRecord> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let group: ChainRecord[] = [];
    // An edited row is reported once the next record is read: whether its prev_hash still links to the stored
    // row_hash tells that the stored hash is the original and the row's content changed after it was written.
    let edited: { seq: number; rowHash: string; message: string } | undefined;
    const reportEdited = (next: readonly ChainRecord[]): void => {
      if (!edited) return;
      const { seq, rowHash, message } = edited;
      edited = undefined;
      const linked = next.some((row) => row.seq === seq + 1 && row.prevHash === rowHash);
      this.#problem({
        kind: 'chain',
        seq,
        message:
          next.length === 0
            ? `${message}: a field was edited (it is the last record, so no later prev_hash confirms that the stored row_hash is the original)`
            : linked
              ? `${message}, while the next record's prev_hash still links to the stored row_hash: the stored hash is the original, so the row was changed after it was written: a field was edited (a hash cannot tell which)`
              : `${message}: a field was edited, or the row was replaced`,
      });
    };
    const settle = (): ChainRecord | undefined => {
      if (group.length === 0) return undefined;
      reportEdited(group);
      const seq = (group[0] as ChainRecord).seq;
      if (seq > expectedSeq) {
        this.#problem({
          kind: 'chain',
          seq: expectedSeq,
          message:
            seq - 1 === expectedSeq
              ? `seq ${expectedSeq} is missing: the record was deleted`
              : `seq ${expectedSeq}..${seq - 1} are missing: ${seq - expectedSeq} records were deleted`,
        });
      }
      let kept = group[0] as ChainRecord;
      if (group.length > 1) {
        const genuine = group.filter((row) => rowProblem(row, prevHash) === undefined);
        kept = genuine[0] ?? kept;
        for (const row of group) {
          if (row === kept) continue;
          this.#problem({
            kind: 'chain',
            seq,
            message: `seq ${seq} appears twice (${row.type.table} and ${kept.type.table}): a record was inserted into ${row.type.table}`,
          });
        }
      }
      const problem = rowProblem(kept, seq > expectedSeq ? kept.prevHash : prevHash);
      const message = problem && `seq ${seq} (${describeRecord(kept)}): ${problem.message}`;
      if (problem?.edited) edited = { seq, rowHash: kept.rowHash, message: message as string };
      else if (message) this.#problem({ kind: 'chain', seq, message });
      expectedSeq = seq + 1;
      prevHash = kept.rowHash;
      group = [];
      return kept;
    };
    for (const raw of iterateChainRows(this.#db)) {
      const row = toChainRecord(raw);
      if (group.length > 0 && (group[0] as ChainRecord).seq !== row.seq) {
        const kept = settle();
        if (kept) yield kept;
      }
      group.push(row);
    }
    const kept = settle();
    reportEdited([]);
    if (kept) yield kept;
  }
}

/**
 * Why a record does not belong at its place in the chain, or undefined when it does. `edited`: its content does
 * not hash to its stored row_hash (the caller adds what the next record's link says about it).
 */
function rowProblem(
  row: ChainRecord,
  expectedPrev: string,
): { message: string; edited: boolean } | undefined {
  const { type, values } = row;
  const kinds = encodedKinds(type, values);
  let computed: string;
  try {
    computed = recordHash(row.prevHash, type.tag, kinds, values);
  } catch {
    return { message: fieldProblem(row) ?? 'a field cannot be encoded (edited by hand)', edited: false };
  }
  if (computed === row.rowHash) {
    return row.prevHash === expectedPrev
      ? undefined
      : {
          message: `prev_hash ${row.prevHash} does not match the row_hash ${expectedPrev} of the record before it: a record before it was deleted, inserted or moved`,
          edited: false,
        };
  }
  const hashedAs = findOriginalSeq(row, kinds);
  if (hashedAs !== undefined) {
    return {
      message: `the record was written as seq ${hashedAs} and now sits at seq ${row.seq}: records were reordered or renumbered`,
      edited: false,
    };
  }
  return {
    message: `its content does not match its row_hash (stored ${row.rowHash}, computed from the fields ${computed})`,
    edited: true,
  };
}

/** The fields that say which record a report is about, per table (kind and result go unlabelled). */
const IDENTITY_FIELDS: Record<string, readonly string[]> = {
  stations: ['station_id'],
  line_keys: ['key_id'],
  batches: ['batch_id'],
  provisioning_events: ['kind', 'result', 'serial', 'batch_id'],
  policy_rejections: ['serial', 'batch_id', 'rule'],
  compliance_seals: ['sealed_table', 'sealed_key'],
};
const FIELD_LABELS: Record<string, string> = {
  station_id: 'station ',
  key_id: 'line key ',
  batch_id: 'batch ',
  serial: 'serial ',
  rule: 'rule ',
};

/**
 * Which record this is, as its row reads now (an edited field may be among them).
 *
 * @example describeRecord(row); // 'provisioning_events: RESULT PASS, serial SN-4, batch B1'
 */
function describeRecord(row: ChainRecord): string {
  const parts: string[] = [];
  for (const name of IDENTITY_FIELDS[row.type.table] ?? []) {
    const value = fieldOf(row, name);
    if (value === null) continue;
    if (name === 'result') parts.push(`${parts.pop() ?? ''} ${String(value)}`.trim());
    else parts.push(`${FIELD_LABELS[name] ?? ''}${String(value)}`);
  }
  return parts.length === 0 ? row.type.table : `${row.type.table}: ${parts.join(', ')}`;
}

/** Names the first field whose stored value no credline could have written. */
function fieldProblem(row: ChainRecord): string | undefined {
  for (const [i, field] of row.type.fields.entries()) {
    const value = row.values[i] ?? null;
    if (value === null) continue;
    const text = canonicalText(field.kind, value);
    if ('problem' in text) return `field ${field.name}: ${text.problem} (edited by hand)`;
  }
  return undefined;
}

/** Tries nearby seq values: a row moved by a swap or renumbering still hashes under its original seq. */
function findOriginalSeq(row: ChainRecord, kinds: readonly FieldKind[]): number | undefined {
  for (let delta = 1; delta <= REORDER_WINDOW; delta++) {
    for (const seq of [row.seq - delta, row.seq + delta]) {
      if (seq < 1) continue;
      const moved = row.values.slice();
      moved[0] = seq; // seq is every record's first field
      if (recordHash(row.prevHash, row.type.tag, kinds, moved) === row.rowHash) return seq;
    }
  }
  return undefined;
}

function normaliseSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** `HASH` or `SEQ:HASH` (what `evidence head` prints). */
export function parseAnchor(text: string | undefined): { seq?: number; hash: string } | undefined {
  if (text === undefined) return undefined;
  const match = /^(?:(\d+):)?([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!match) {
    throw new CredlineError(
      'EVIDENCE_BAD_ANCHOR',
      `--expect-head expected a 64-hex-digit head hash or SEQ:HASH as printed by "credline evidence head", got ${JSON.stringify(text)}`,
    );
  }
  return {
    ...(match[1] === undefined ? {} : { seq: Number(match[1]) }),
    hash: (match[2] as string).toLowerCase(),
  };
}
