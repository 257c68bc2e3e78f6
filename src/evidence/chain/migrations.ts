/**
 * The evidence schema, as an ordered, append-only list of forward migrations. `PRAGMA user_version` holds the
 * number of migrations applied; opening a store applies the missing ones, each in its own IMMEDIATE transaction
 * (so two processes opening an old file at once migrate it once).
 *
 * HOW TO ADD A MIGRATION:
 *   1. Append one entry at the END of EVIDENCE_MIGRATIONS (or of its owner's list: compliance/tables) with
 *      `version` = the latest version + 1. Never edit, reorder or remove an entry that has shipped: files in the
 *      field are at every earlier version.
 *   2. Put new tables' DDL in `sql`. List every table whose rows must never change in `appendOnly`: the runner adds
 *      the refusing UPDATE/DELETE triggers and `evidence verify` checks they are present and unchanged.
 *   3. A chained table's DDL comes from its column table (record-types.ts). To add a column, append one
 *      `column(…, { since: N })` line there and give migration N `sql: addedColumnsSql(N)`: rows written before it
 *      keep their hashes. Never drop, retype or reorder a column: every hash depends on it.
 *   4. test/evidence/migrations.test.ts migrates a file from every earlier version; extend its fixtures if the new
 *      migration needs data to be meaningful.
 */
import type Database from 'better-sqlite3';
import { CredlineError, ExitCode } from '../../errors/credline-error.js';
import { ChainWriter } from './chain-writer.js';
import { OWNED_MIGRATIONS, sealedTablesAt } from './owned-tables.js';
import { sealUnsealedRows } from './seals.js';
import { userVersion } from './chain-rows.js';
import { createTableSql } from './chain-sql.js';
import {
  BATCH_TERMS_TYPE,
  BATCH_TYPE,
  COMPLIANCE_SEAL_TYPE,
  EVENT_TYPE,
  LINE_KEY_TYPE,
  REJECTION_TYPE,
  STATION_TYPE,
} from './record-types.js';

export interface Migration {
  /** 1-based; equal to its position in MIGRATIONS. */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
  /** Tables made append-only by this migration (triggers refuse UPDATE and DELETE). */
  readonly appendOnly: readonly string[];
  /** Data work after the DDL, in the same transaction (the chain as of this version is writable). */
  readonly after?: (db: Database.Database) => void;
}

/** `PRAGMA application_id` of a credline evidence store ("CRED" in ASCII). */
export const APPLICATION_ID = 0x43524544;

/** The store's own steps; OWNED_MIGRATIONS (the compliance tables) fill their places in the sequence. */
const EVIDENCE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description:
      'hash-chained registry (stations, line keys, batches), provisioning events, policy rejections',
    appendOnly: ['stations', 'line_keys', 'batches', 'provisioning_events', 'policy_rejections'],
    sql: `
PRAGMA application_id = ${APPLICATION_ID};

${createTableSql(STATION_TYPE)};

${createTableSql(LINE_KEY_TYPE)};

${createTableSql(BATCH_TYPE)};

${createTableSql(EVENT_TYPE)};
CREATE INDEX provisioning_events_serial ON provisioning_events (serial, key_id);
CREATE INDEX provisioning_events_fingerprint ON provisioning_events (fingerprint) WHERE kind = 'INTENT';
CREATE UNIQUE INDEX provisioning_events_one_result ON provisioning_events (intent_seq) WHERE intent_seq IS NOT NULL;

${createTableSql(REJECTION_TYPE)};
CREATE INDEX policy_rejections_serial ON policy_rejections (serial);
`,
  },
  {
    version: 2,
    description: 'signed checkpoints of the chain head (Ed25519)',
    appendOnly: ['checkpoints'],
    sql: `
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  head_seq INTEGER NOT NULL CHECK (head_seq >= 0),
  head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
  station_id TEXT NOT NULL,
  public_key TEXT NOT NULL CHECK (length(public_key) = 64),
  reason TEXT NOT NULL CHECK (reason <> ''),
  created_at TEXT NOT NULL,
  signature TEXT NOT NULL CHECK (length(signature) = 128)
) STRICT;
`,
  },
  {
    version: 4,
    description:
      'intent fingerprints indexed by their first 16 hex digits (a third of the full index: bulk imports insert into it at random places)',
    appendOnly: [],
    sql: `
DROP INDEX provisioning_events_fingerprint;
CREATE INDEX provisioning_events_fingerprint_prefix ON provisioning_events (substr(fingerprint, 1, 16))
  WHERE kind = 'INTENT';
`,
  },
  {
    version: 5,
    description:
      'compliance rows sealed into the hash chain (seals.ts); the rows already in the file are sealed now',
    appendOnly: ['compliance_seals'],
    sql: `
${createTableSql(COMPLIANCE_SEAL_TYPE)};
`,
    after: (db) => {
      const chain = new ChainWriter(db, 5);
      chain.write(() => sealUnsealedRows(db, chain, sealedTablesAt(5), new Date().toISOString()));
    },
  },
  {
    version: 8,
    description:
      'batch terms (store/batch-terms.ts): a batch bound to its line key, password alphabet and length; support period extensions',
    appendOnly: ['batch_terms'],
    sql: `
${createTableSql(BATCH_TERMS_TYPE)};
CREATE INDEX batch_terms_batch ON batch_terms (batch_id, seq);
`,
  },
];

/** Every step, in order: version n is MIGRATIONS[n - 1]. */
export const MIGRATIONS: readonly Migration[] = [...EVIDENCE_MIGRATIONS, ...OWNED_MIGRATIONS].sort(
  (a, b) => a.version - b.version,
);
if (MIGRATIONS.some((m, i) => m.version !== i + 1))
  throw new Error('migrations: versions must run 1, 2, 3, …');

export const LATEST_VERSION = MIGRATIONS.length;

/** The two triggers that make a table append-only; verify compares the stored SQL with exactly this text. */
export function appendOnlyTriggerSql(table: string): { name: string; sql: string }[] {
  return (['UPDATE', 'DELETE'] as const).map((op) => ({
    name: `${table}_no_${op.toLowerCase()}`,
    sql:
      `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN ` +
      `SELECT RAISE(ABORT, 'evidence is append-only: ${table} rows cannot be ${op === 'UPDATE' ? 'changed' : 'deleted'}'); END`,
  }));
}

/** Every trigger a store at `version` must have. */
export function expectedTriggers(version: number): { name: string; table: string; sql: string }[] {
  // A table rebuilt by a later step (compliance_seals in 6) is listed again there: each trigger counts once.
  const byName = new Map(
    MIGRATIONS.slice(0, version)
      .flatMap((m) =>
        m.appendOnly.flatMap((table) => appendOnlyTriggerSql(table).map((t) => ({ ...t, table }))),
      )
      .map((t) => [t.name, t] as const),
  );
  return [...byName.values()];
}

/**
 * Applies every migration after the file's `user_version`, in order, each in its own IMMEDIATE transaction.
 * Refuses a file written by a newer credline.
 *
 * @example
 * migrateToLatest(db, 'line1.db'); // { from: 0, to: 2 } on a new file
 */
export function migrateToLatest(
  db: Database.Database,
  file: string,
  target: number = LATEST_VERSION,
): { from: number; to: number } {
  const from = userVersion(db);
  assertKnownVersion(from, file);
  for (const migration of MIGRATIONS.slice(0, target)) {
    db.transaction(() => {
      if (userVersion(db) >= migration.version) return; // another process got there first
      db.exec(migration.sql);
      for (const table of migration.appendOnly) {
        for (const trigger of appendOnlyTriggerSql(table)) db.exec(trigger.sql);
      }
      migration.after?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, target) };
}

export function assertKnownVersion(version: number, file: string): void {
  if (version > LATEST_VERSION) {
    throw new CredlineError(
      'EVIDENCE_TOO_NEW',
      `${file}: evidence schema version ${version} was written by a newer credline (this one knows up to ${LATEST_VERSION}); upgrade credline`,
      { exitCode: ExitCode.usage },
    );
  }
}
