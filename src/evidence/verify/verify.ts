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
import { GENESIS_HASH } from '../chain/canonical.js';
import { chainTypesOf, userVersion } from '../chain/chain-rows.js';
import { headQuerySql } from '../chain/chain-sql.js';
import { checkpointSignatureValid } from '../chain/checkpoint.js';
import { expectedTriggers } from '../chain/migrations.js';
import { COMPLIANCE_SEAL_TYPE, type ChainRecord } from '../chain/record-types.js';
import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase } from '../store/database.js';
import { walkChain } from './chain-walk.js';
import { integrityMessages, startIntegrityCheck } from './integrity-check.js';
import { checkSeals } from './seal-check.js';
import type { VerifyOptions, VerifyProblem, VerifyReport } from './verify-report.js';
import { toCheckpointRecord } from '../store/rows.js';
import type { ChainHead, CheckpointRecord } from '../types.js';

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

/** How often the chain walk reports its progress. */
const PROGRESS_RECORDS = 4096;

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
    const onProgress = this.#options.onProgress;
    const total = onProgress && this.#headSeq();
    onProgress?.('chain', 0, total);
    try {
      for (const row of walkChain(this.#db, (problem) => this.#problem(problem))) {
        records++;
        if (onProgress && records % PROGRESS_RECORDS === 0) onProgress('chain', records, total);
        if (row.type === COMPLIANCE_SEAL_TYPE) seals.push(row);
        head = { seq: row.seq, hash: row.rowHash };
        if (wanted.has(row.seq)) seen.set(row.seq, row.rowHash);
        if (anchor && row.rowHash === anchor.hash && anchorSeq === undefined) anchorSeq = row.seq;
      }
    } catch (error) {
      if (error instanceof CredlineError) throw error;
      this.#problem({ kind: 'schema', message: `the chain cannot be read: ${(error as Error).message}` });
    }
    const compliance = checkSeals(this.#db, version, seals, (problem) => this.#problem(problem));
    const lastSignedSeq = this.#checkCheckpoints(checkpoints, seen, head);
    const anchorReport = anchor && this.#checkAnchor(anchor, anchorSeq, head);
    onProgress?.('integrity', 0);
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

  /** The highest seq of the chain (what the walk's progress counts towards); undefined if it cannot be read. */
  #headSeq(): number | undefined {
    try {
      const head = this.#db.prepare(headQuerySql(chainTypesOf(this.#db))).get() as
        { seq: number } | undefined;
      return head?.seq ?? 0;
    } catch {
      return undefined; // the walk reports what is wrong with the file
    }
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
