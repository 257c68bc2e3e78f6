/**
 * Appending chained records: every append runs inside one IMMEDIATE write transaction, reads the chain head once
 * per transaction, and hashes the row with the canonical encoding before inserting it. Another process's writes
 * wait on the SQLite write lock (busy_timeout), so the chain stays one line with no gaps or forks.
 */
import type Database from 'better-sqlite3';
import { GENESIS_HASH, recordHash, type FieldValue } from './canonical.js';
import { userVersion } from './chain-rows.js';
import { headQuerySql, storedFields } from './chain-sql.js';
import { encodedKinds, recordTypesAt, type RecordType } from './record-types.js';
import type { ChainHead } from '../types.js';

/** What one work of a group commit came to. */
export type GroupOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class ChainWriter {
  readonly #readHead: Database.Statement;
  /** Per type, its INSERT and how many of its fields the file has columns for (a prefix of them: chain-sql.ts). */
  readonly #inserts = new Map<RecordType, { statement: Database.Statement; stored: number }>();
  #head: ChainHead | undefined;
  #depth = 0;
  /** One transaction wrapper for every write (better-sqlite3 builds several functions per wrapper). */
  readonly #transaction: Database.Transaction<(work: () => unknown) => unknown>;
  /** Called inside a transaction, better-sqlite3 runs this as a SAVEPOINT: one work of a group. */
  readonly #savepoint: Database.Transaction<(work: () => unknown) => unknown>;

  /** `version`: the file's schema version (what it has tables and columns for); by default its user_version. */
  constructor(db: Database.Database, version: number = userVersion(db)) {
    const types = recordTypesAt(version);
    this.#readHead = db.prepare(headQuerySql(types));
    this.#transaction = db.transaction((work: () => unknown) => {
      this.#depth++;
      try {
        return work();
      } finally {
        this.#depth--;
        this.#head = undefined;
      }
    });
    this.#savepoint = db.transaction((work: () => unknown) => work());
    for (const type of types) {
      const names = storedFields(type, version).map((f) => f.name);
      const statement = db.prepare(
        `INSERT INTO ${type.table} (prev_hash, row_hash, ${names.join(', ')}) ` +
          `VALUES (?, ?, ${names.map(() => '?').join(', ')})`,
      );
      this.#inserts.set(type, { statement, stored: names.length });
    }
  }

  /** The current head, read from the file (or the running transaction's view). */
  head(): ChainHead {
    const row = this.#readHead.get() as { seq: number; row_hash: string } | undefined;
    return row ? { seq: row.seq, hash: row.row_hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Runs `work` in one IMMEDIATE transaction (nested calls join the outer one). Everything appended inside commits
   * together, or not at all.
   */
  write<T>(work: () => T): T {
    if (this.#depth > 0) return work();
    try {
      return this.#transaction.immediate(work) as T;
    } catch (error) {
      this.onRollback?.();
      throw error;
    }
  }

  /**
   * Group commit: runs every work in ONE IMMEDIATE transaction (one fsync), each inside its own savepoint. A work
   * that throws is rolled back alone and its error takes its place in the returned list; the others commit together.
   * When the commit itself fails, every work fails with that error.
   */
  writeEach(works: readonly (() => unknown)[]): GroupOutcome[] {
    return this.write(() =>
      works.map((work): GroupOutcome => {
        try {
          return { ok: true, value: this.#savepoint(work) };
        } catch (error) {
          this.#head = undefined; // the savepoint's appends are gone: read the head again
          this.onRollback?.();
          return { ok: false, error };
        }
      }),
    );
  }

  /** Called after a transaction rolled back (the store drops its caches). */
  onRollback: (() => void) | undefined;

  /** Appends one record (`values` by column name; `seq` is assigned) and returns its place in the chain. */
  append(type: RecordType, values: Readonly<Record<string, FieldValue>>): ChainHead & { prevHash: string } {
    if (this.#depth === 0) throw new Error('ChainWriter.append outside write()');
    const head = (this.#head ??= this.head());
    const seq = head.seq + 1;
    const row = type.fields.map((field) => (field.name === 'seq' ? seq : (values[field.name] ?? null)));
    const hash = this.#insert(type, head.hash, row);
    this.#head = { seq, hash };
    return { seq, hash, prevHash: head.hash };
  }

  /**
   * append() for a record already laid out as its type's fields in canonical order (no lookup by column name: the
   * bulk import's path). `row[0]` is set to the assigned seq; the array is hashed and inserted at once, not kept.
   */
  appendRow(type: RecordType, row: FieldValue[]): ChainHead {
    if (this.#depth === 0) throw new Error('ChainWriter.appendRow outside write()');
    const head = (this.#head ??= this.head());
    const seq = head.seq + 1;
    row[0] = seq;
    const hash = this.#insert(type, head.hash, row);
    this.#head = { seq, hash };
    return this.#head;
  }

  /** Hashes `row` (all of the type's fields, canonical order) after `prevHash` and inserts it; returns its hash. */
  #insert(type: RecordType, prevHash: string, row: FieldValue[]): string {
    const insert = this.#inserts.get(type);
    if (!insert) throw new Error(`ChainWriter: this file has no ${type.table} table`);
    const hash = recordHash(prevHash, type.tag, encodedKinds(type, row), row);
    if (insert.stored === row.length) insert.statement.run(prevHash, hash, ...row);
    else if (row.slice(insert.stored).every((value) => value === null))
      insert.statement.run(prevHash, hash, ...row.slice(0, insert.stored));
    else throw new Error(`ChainWriter: this file has no column for ${type.fields[insert.stored]?.name} yet`);
    return hash;
  }
}
