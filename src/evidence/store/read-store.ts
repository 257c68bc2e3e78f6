/**
 * Reading a store for a command that only reads: the file is opened read-only (never created, never migrated,
 * left byte-identical), and a query that needs a table a newer schema adds says how to migrate the file instead of
 * SQLite's "no such table".
 */
import { olderSchemaError, openDatabase } from './database.js';
import { EvidenceStore } from './evidence-store.js';

/**
 * Runs `work` on the store in `file`, opened read-only, and closes it.
 *
 * @example const head = readEvidenceStore('line1.db', (store) => store.head());
 */
export function readEvidenceStore<T>(file: string, work: (store: EvidenceStore) => T): T {
  const db = openDatabase(file, { readonly: true });
  try {
    return work(new EvidenceStore(db, file, () => new Date()));
  } catch (error) {
    throw olderSchemaError(db, file, error) ?? error;
  } finally {
    db.close();
  }
}
