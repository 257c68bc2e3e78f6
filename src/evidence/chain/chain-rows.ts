/**
 * Reading the whole chain in seq order, fast: one ordered scan per table, merged here. SQLite's own UNION ALL
 * merge (chainQuerySql) copies every one of ~30 columns through a co-routine per row; merging one `.raw()`
 * iterator per table in JavaScript does the same work for about 20 % less. Rows with the same seq (a tampered file) come in
 * RECORD_TYPES order, as the UNION ALL query gives them.
 */
import type Database from 'better-sqlite3';
import type { FieldValue } from './canonical.js';
import { chainBranchSql } from './chain-sql.js';
import { CHAIN_COLUMN_INDEX, recordTypesAt, type ChainFilter, type RecordType } from './record-types.js';

/** The schema version of the file (`PRAGMA user_version`: the number of migrations applied). */
export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The chained record types the file has tables for (by its schema version). */
export function chainTypesOf(db: Database.Database): readonly RecordType[] {
  return recordTypesAt(userVersion(db));
}

/**
 * Chained rows of the kept record types in seq order, as `.raw()` arrays laid out like CHAIN_COLUMNS (what
 * chainQuerySql returns, row for row). Constant memory: one pending row per table.
 *
 * @example
 * for (const raw of iterateChainRows(db, { batchId: 'B1' })) console.log(toChainRecord(raw).seq);
 */
export function* iterateChainRows(db: Database.Database, filter: ChainFilter = {}): Generator<FieldValue[]> {
  const params = {
    ...(filter.batchId === undefined ? {} : { batchId: filter.batchId }),
    ...(filter.since === undefined ? {} : { since: filter.since }),
    ...(filter.fromSeq === undefined ? {} : { fromSeq: filter.fromSeq }),
    ...(filter.toSeq === undefined ? {} : { toSeq: filter.toSeq }),
  };
  const sources = chainBranchSql(userVersion(db), filter).map(
    (sql) => db.prepare(`${sql} ORDER BY seq`).raw(true).iterate(params) as IterableIterator<FieldValue[]>,
  );
  const pending: (FieldValue[] | undefined)[] = sources.map((source) => next(source));
  for (;;) {
    let pick = -1;
    let pickSeq = Infinity;
    for (let i = 0; i < pending.length; i++) {
      const row = pending[i];
      if (row !== undefined && (row[SEQ] as number) < pickSeq) {
        pick = i;
        pickSeq = row[SEQ] as number;
      }
    }
    if (pick < 0) return;
    const source = sources[pick] as IterableIterator<FieldValue[]>;
    yield pending[pick] as FieldValue[];
    pending[pick] = next(source);
  }
}

/** Where `seq` sits in a CHAIN_COLUMNS row. */
const SEQ = CHAIN_COLUMN_INDEX['seq'] as number;

function next(source: IterableIterator<FieldValue[]>): FieldValue[] | undefined {
  const step = source.next();
  return step.done ? undefined : step.value;
}
