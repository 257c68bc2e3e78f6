/** The attacker's tools for the tamper tests: raw SQL on the real file, and re-hashing the chain from a seq on. */
import Database from 'better-sqlite3';
import {
  canonicalBytes,
  chainHash,
  GENESIS_HASH,
  type FieldValue,
} from '../../src/evidence/chain/canonical.js';
import { userVersion } from '../../src/evidence/chain/chain-rows.js';
import { chainQuerySql } from '../../src/evidence/chain/chain-sql.js';
import { recordTypeByTag, type RecordType } from '../../src/evidence/chain/record-types.js';
import { expectedTriggers } from '../../src/evidence/chain/migrations.js';

/** Every append-only trigger the file's schema has: dropped to tamper, re-created to hide it. */
function appendOnlyTriggers(db: Database.Database): { name: string; sql: string }[] {
  return expectedTriggers(userVersion(db));
}

/** Runs SQL on the file as someone with write access would: triggers dropped first, restored after if asked. */
export function tamper(file: string, sql: string, options: { restoreTriggers?: boolean } = {}): void {
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = OFF');
    for (const trigger of appendOnlyTriggers(db)) db.exec(`DROP TRIGGER IF EXISTS ${trigger.name}`);
    db.exec(sql);
    if (options.restoreTriggers) {
      for (const trigger of appendOnlyTriggers(db)) db.exec(trigger.sql);
    }
  } finally {
    db.close();
  }
}

/** Recomputes prev_hash and row_hash of every record (what a forger does after an edit), restoring the triggers. */
export function rehashChain(file: string): void {
  const db = new Database(file);
  try {
    for (const trigger of appendOnlyTriggers(db)) db.exec(`DROP TRIGGER IF EXISTS ${trigger.name}`);
    const rows = db.prepare(chainQuerySql(userVersion(db))).all() as Record<string, FieldValue>[];
    let prev = GENESIS_HASH;
    db.transaction(() => {
      for (const row of rows) {
        const type = recordTypeByTag(row['record_type'] as string) as RecordType;
        const hash = chainHash(
          prev,
          canonicalBytes(
            type.tag,
            type.fields.map((f) => [f.kind, row[f.name] ?? null] as const),
          ),
        );
        db.prepare(`UPDATE ${type.table} SET prev_hash = ?, row_hash = ? WHERE seq = ?`).run(
          prev,
          hash,
          row['seq'],
        );
        prev = hash;
      }
    })();
    for (const trigger of appendOnlyTriggers(db)) db.exec(trigger.sql);
  } finally {
    db.close();
  }
}
