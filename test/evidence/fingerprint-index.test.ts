import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { migrateToLatest } from '../../src/evidence/chain/migrations.js';
import { INTENT_WITH_FINGERPRINT } from '../../src/evidence/store/queries.js';
import { fingerprinter, newStore, passwordOf, provision, tempDir } from './helpers.js';

const FIND_SQL = `SELECT seq FROM provisioning_events WHERE ${INTENT_WITH_FINGERPRINT}`;

function plan(db: Database.Database): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${FIND_SQL}`).all({ fingerprint: 'a'.repeat(64) });
  return (rows as { detail: string }[]).map((r) => r.detail).join('; ');
}

describe('the fingerprint prefix index (migration 4)', () => {
  it('answers fingerprint lookups through the index, in a file migrated from version 3 with events', () => {
    const file = join(tempDir(), 'v3.db');
    closeSync(openSync(file, 'w', 0o600));
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrateToLatest(old, file, 3);
    old.close();
    const before = newStore(file); // migrates to the latest version
    provision(before, 'SN-1');
    before.close();

    const store = openEvidenceStore(file);
    provision(store, 'SN-2');
    expect(store.findFingerprint(fingerprinter(passwordOf('SN-1')))).toEqual([{ serial: 'SN-1', seq: 4 }]);
    expect(store.findFingerprint(fingerprinter(passwordOf('SN-2')))).toEqual([{ serial: 'SN-2', seq: 6 }]);
    expect(store.findFingerprint('f'.repeat(64))).toEqual([]);
    store.close();
    const db = new Database(file, { readonly: true });
    expect(plan(db)).toContain('USING INDEX provisioning_events_fingerprint_prefix');
    db.close();
  });

  it('a version 3 file opened read-only (not migrated) answers through its full-fingerprint index', () => {
    const file = join(tempDir(), 'v3.db');
    closeSync(openSync(file, 'w', 0o600));
    const db = new Database(file);
    migrateToLatest(db, file, 3);
    expect(plan(db)).toContain('INDEX provisioning_events_fingerprint (fingerprint=?)');
    db.close();
  });
});
