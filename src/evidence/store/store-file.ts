/**
 * Operations on a store file as a whole, each opening it, doing one thing and closing it: what the evidence
 * commands (and other modules' commands) call. A reading operation opens the file read-only (never created, never
 * migrated, left byte-identical), and a query that needs a table a newer schema adds says how to migrate the file
 * instead of SQLite's "no such table".
 */
import { olderSchemaError, openDatabase } from './database.js';
import { EvidenceStore, openEvidenceStore } from './evidence-store.js';
import type { StoreStats } from './queries.js';
import type { ChainHead, CheckpointRecord } from '../types.js';
import type { StepProgress } from '../../progress/index.js';
import { abortOnInterrupt } from '../interrupt.js';

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

/** Runs `work` on the store in `file`, opened for writing (migrated to this version), and closes it. */
function writeEvidenceStore<T>(file: string, work: (store: EvidenceStore) => T, create = false): T {
  const store = openEvidenceStore(file, { create });
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/**
 * Creates a store (0600, WAL) or migrates an existing one, registering a station when one is given; returns its
 * figures.
 *
 * @example initEvidenceStore('line1.db', { stationId: 'line1' }).schemaVersion;
 */
export function initEvidenceStore(
  file: string,
  station: { stationId?: string; label?: string } = {},
): StoreStats {
  return writeEvidenceStore(
    file,
    (store) => {
      if (station.stationId !== undefined) {
        store.ensureStation({
          stationId: station.stationId,
          ...(station.label === undefined ? {} : { label: station.label }),
        });
      }
      return store.stats();
    },
    true,
  );
}

/**
 * Signs the chain head of the store in `file` with a station's Ed25519 seed and stores the checkpoint.
 *
 * @example checkpointEvidenceStore('line1.db', seed, { stationId: 'line1', reason: 'manual' });
 */
export function checkpointEvidenceStore(
  file: string,
  stationSecret: Uint8Array,
  options: { stationId: string; reason: string },
): CheckpointRecord {
  return writeEvidenceStore(file, (store) => store.writeCheckpoint(stationSecret, options));
}

/** What a backup of a store file reports as it goes, and hears of a stop. */
export interface BackupFileOptions {
  /** Hears `pages` copied of the total, after each step of the copy. */
  onProgress?: StepProgress | undefined;
  /** Called when SIGINT, SIGTERM or SIGHUP stops the backup, before the new file is removed. */
  onInterrupt?: ((signal: NodeJS.Signals) => void) | undefined;
}

/**
 * Copies the store with SQLite's online backup to `destination` (a new 0600 file); returns the chain head read
 * after the copy (the copy holds that head or an earlier one). Ctrl-C (SIGINT, SIGTERM, SIGHUP) stops the copy and
 * removes the new file.
 *
 * @example const head = await backupEvidenceStore('line1.db', '/mnt/usb/line1.db');
 */
export async function backupEvidenceStore(
  file: string,
  destination: string,
  options: BackupFileOptions = {},
): Promise<ChainHead> {
  const store = openEvidenceStore(file, { readonly: true });
  try {
    await abortOnInterrupt(
      (signal) => store.backup(destination, { onProgress: options.onProgress, signal }),
      options.onInterrupt,
      'backup',
    );
    return store.head();
  } finally {
    store.close();
  }
}
