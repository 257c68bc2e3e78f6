/**
 * Online backup of an evidence store (SQLite backup API: consistent while a station keeps writing). The copy is a
 * rollback-journal file, not WAL: a WAL file cannot be read where SQLite may not create its `-shm` (a read-only
 * directory, archive media), and a backup is read far more often than written.
 */
import { closeSync, openSync, unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';
import { usageError } from '../../errors/credline-error.js';
import { pathErrorText } from '../../errors/fs-error-text.js';
import type { StepProgress } from '../../progress/index.js';
import { describeSqliteError } from './database.js';

export interface BackupOptions {
  /** Hears `pages` copied of the total, after each step of the copy. */
  onProgress?: StepProgress | undefined;
  /** Stops the copy; the new file is removed and the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Pages copied per step: SQLite copies while the event loop turns between steps (an abort is seen after one). */
const STEP_PAGES = 1000;

/**
 * Copies `db` to `destination`, a new file created 0600 (an existing file is never overwritten).
 *
 * @example await backupDatabase(db, 'line1-backup.db');
 */
export async function backupDatabase(
  db: Database.Database,
  destination: string,
  options: BackupOptions = {},
): Promise<void> {
  try {
    closeSync(openSync(destination, 'wx', 0o600)); // private from the first byte
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST'
        ? 'it already exists; evidence backups never overwrite a file'
        : `${pathErrorText(error, destination)}; choose another output path`;
    throw usageError('EVIDENCE_BACKUP', `cannot create ${destination}: ${why}`, error);
  }
  const { onProgress, signal } = options;
  try {
    await db.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        signal?.throwIfAborted();
        onProgress?.('pages', totalPages - remainingPages, totalPages);
        return STEP_PAGES;
      },
    });
    signal?.throwIfAborted();
    useRollbackJournal(destination);
  } catch (error) {
    unlinkSync(destination);
    if (signal?.aborted && error === signal.reason) throw error;
    throw usageError(
      'EVIDENCE_BACKUP',
      `backup to ${destination} failed: ${describeSqliteError(error)}`,
      error,
    );
  }
}

/** Switches the copy from the store's WAL mode to a rollback journal (file header bytes 18 and 19 become 1). */
function useRollbackJournal(file: string): void {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}
