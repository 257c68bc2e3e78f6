/**
 * Reading the chain through iterateChainRows on one connection: its statements are prepared once per connection and
 * kept (a split export runs the same few queries for hundreds of pieces), never handed to a second iteration while
 * an earlier one still runs on them, and released when an iteration stops early.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { iterateChainRows } from '../../src/evidence/chain/chain-rows.js';
import { toChainRecord } from '../../src/evidence/chain/record-types.js';
import { newStore, provision, tempDir } from './helpers.js';

/** A store with a few records in several tables, opened again read-only in a read transaction. */
function reader(): Database.Database {
  const file = join(tempDir(), 'credline.db');
  const store = newStore(file);
  for (const serial of ['SN-1', 'SN-2', 'SN-3']) provision(store, serial);
  store.close();
  const db = new Database(file, { readonly: true });
  db.exec('BEGIN');
  return db;
}

const seqs = (rows: Iterable<unknown[]>): number[] => [...rows].map((raw) => toChainRecord(raw as never).seq);

describe('iterateChainRows', () => {
  it('runs two overlapping iterations on one connection, each reading the whole chain', () => {
    const db = reader();
    const whole = seqs(iterateChainRows(db));
    const first = iterateChainRows(db);
    const second = iterateChainRows(db);
    const a: number[] = [];
    const b: number[] = [];
    for (;;) {
      const x = first.next();
      const y = second.next();
      if (!x.done) a.push(toChainRecord(x.value).seq);
      if (!y.done) b.push(toChainRecord(y.value).seq);
      if (x.done && y.done) break;
    }
    expect(whole.length).toBeGreaterThan(5);
    expect(a).toEqual(whole);
    expect(b).toEqual(whole);
    expect(seqs(iterateChainRows(db, { fromSeq: 2, toSeq: 4 }))).toEqual([2, 3, 4]);
    db.close();
  });

  it('lets go of the connection when an iteration stops early (the read transaction can end)', () => {
    const db = reader();
    for (const raw of iterateChainRows(db)) {
      expect(toChainRecord(raw).seq).toBe(1);
      break;
    }
    expect(() => db.exec('COMMIT')).not.toThrow();
    db.close();
  });

  it('prepares its statements once per connection, whatever the bounds', () => {
    const db = reader();
    const prepare = vi.spyOn(db, 'prepare');
    expect(seqs(iterateChainRows(db, { fromSeq: 1, toSeq: 3 }))).toEqual([1, 2, 3]);
    const prepared = prepare.mock.calls.length;
    expect(prepared).toBeGreaterThan(0);
    for (let from = 2; from < 6; from++) {
      expect(seqs(iterateChainRows(db, { fromSeq: from, toSeq: from + 2 }))).toEqual([
        from,
        from + 1,
        from + 2,
      ]);
    }
    expect(prepare.mock.calls.length).toBe(prepared);
    db.close();
  });
});
