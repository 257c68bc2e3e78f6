/** Online backup of an evidence store (SQLite backup API: consistent while a station keeps writing). */
import { closeSync, openSync, unlinkSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { usageError } from '../errors/credline-error.js';
import { describeSqliteError } from './database.js';

/**
 * Copies `db` to `destination`, a new file created 0600 (an existing file is never overwritten).
 *
 * @example await backupDatabase(db, 'line1-backup.db');
 */
export async function backupDatabase(db: Database.Database, destination: string): Promise<void> {
  try {
    closeSync(openSync(destination, 'wx', 0o600)); // private from the first byte
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST'
        ? 'it already exists; evidence backups never overwrite a file'
        : (code ?? String(error));
    throw usageError('EVIDENCE_BACKUP', `cannot create ${destination}: ${why}`, error);
  }
  try {
    await db.backup(destination);
  } catch (error) {
    unlinkSync(destination);
    throw usageError(
      'EVIDENCE_BACKUP',
      `backup to ${destination} failed: ${describeSqliteError(error)}`,
      error,
    );
  }
}
