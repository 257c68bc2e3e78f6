/**
 * The console is read-only: building a pack for download opens the store read-only, so an older store (here at
 * schema version 7, from before batch terms) is packed as it is and never migrated: its bytes stay the same.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PackBuilder } from '../../src/web/pack-builder.js';
import { BATCH, createConsoleFixture } from './fixture.js';

/** The console fixture as credline left it before migration 8: no batch_terms table, user_version 7. */
function storeAtVersion7(): string {
  const file = createConsoleFixture();
  const db = new Database(file);
  expect(db.prepare('SELECT count(*) AS n FROM batch_terms').get()).toEqual({ n: 0 });
  db.exec(`
    DROP TRIGGER batch_terms_no_update;
    DROP TRIGGER batch_terms_no_delete;
    DROP INDEX batch_terms_batch;
    DROP TABLE batch_terms;
    PRAGMA user_version = 7;`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return file;
}

const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the console’s pack download', () => {
  it('packs an older store without migrating it: the file’s bytes are unchanged', async () => {
    const file = storeAtVersion7();
    const before = digest(file);
    const zip = await new PackBuilder(file).build(BATCH);
    expect(Buffer.from(zip.subarray(0, 4)).toString('latin1')).toBe('PK\u0003\u0004');
    expect(digest(file)).toBe(before);
    expect(!existsSync(`${file}-wal`) || readFileSync(`${file}-wal`).length === 0).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    db.close();
  });
});
