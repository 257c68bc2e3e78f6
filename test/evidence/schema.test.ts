/**
 * The schema a store has, whichever version it was migrated from, is exactly the schema credline has always given
 * (schema.sql, dumped from sqlite_schema of a new store before the DDL moved into the column table and the
 * compliance tables' declarations). A migration added later changes this file on purpose: regenerate it then.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrateToLatest } from '../../src/evidence/chain/migrations.js';
import { tempDir } from './helpers.js';

const EXPECTED = readFileSync(new URL('./schema.sql', import.meta.url), 'utf8');

function schemaOf(db: Database.Database): string {
  const rows = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid').all() as {
    type: string;
    name: string;
    tbl_name: string;
    sql: string | null;
  }[];
  return `${rows.map((r) => `${r.type} ${r.name} ${r.tbl_name}\n${r.sql}`).join('\n')}\n`;
}

describe('the evidence schema', () => {
  for (let from = 0; from <= LATEST_VERSION; from++) {
    it(`is the same for a file migrated from version ${from}`, () => {
      const file = join(tempDir(), `v${from}.db`);
      closeSync(openSync(file, 'w', 0o600));
      const db = new Database(file);
      try {
        migrateToLatest(db, file, from);
        migrateToLatest(db, file);
        expect(schemaOf(db)).toBe(EXPECTED);
      } finally {
        db.close();
      }
    });
  }
});
