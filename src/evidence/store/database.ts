/**
 * Opening the SQLite file behind an evidence store: created 0600, WAL, synchronous=FULL (a committed PASS survives
 * power loss), busy_timeout (two stations on one PC share a file), foreign keys on, schema migrated.
 */
import { accessSync, closeSync, constants, openSync, statSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { CredlineError, ExitCode, usageError } from '../../errors/credline-error.js';
import { fsErrorText, pathErrorText } from '../../errors/fs-error-text.js';
import { APPLICATION_ID, assertKnownVersion, LATEST_VERSION, migrateToLatest } from '../chain/migrations.js';
import { userVersion } from '../chain/chain-rows.js';

export interface OpenDatabaseOptions {
  /** Create the file (0600) when it does not exist; otherwise a missing file is an error. */
  create?: boolean;
  /** Open read-only and never migrate (verify, audits of a copy). */
  readonly?: boolean;
  /** How long a writer waits for another process's transaction; default 15,000 ms. */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 15_000;
/**
 * Page cache per connection. A writer inserts into the fingerprint and serial indexes at random places, so it keeps
 * them cached; a reader (verify, export) scans in order and needs little (keeps an export's RSS low).
 */
const WRITER_CACHE_KIB = 64 * 1024;
const READER_CACHE_KIB = 8 * 1024;

/**
 * Opens (or creates) an evidence database file and brings its schema up to date.
 *
 * @example
 * const db = openDatabase('credline.db', { create: true });
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  if (!storeFileExists(file, options)) createPrivateFile(file);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: true });
  } catch (error) {
    throw usageError('EVIDENCE_OPEN', cannotOpenText(file, error), error);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    assertCredlineFile(db, file, options.readonly ?? false);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = -${options.readonly ? READER_CACHE_KIB : WRITER_CACHE_KIB}`);
    if (!options.readonly) migrateToLatest(db, file);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof CredlineError) throw error;
    throw usageError('EVIDENCE_OPEN', cannotOpenText(file, error), error);
  }
}

/**
 * Looks at the path before SQLite does, so that a mistake reads as words (no such directory, is a directory,
 * permission denied) rather than SQLITE_CANTOPEN or SQLITE_IOERR. Returns false when the file does not exist and
 * may be created.
 */
function storeFileExists(file: string, options: OpenDatabaseOptions): boolean {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const why = pathErrorText(error, file);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw usageError(
        'EVIDENCE_OPEN',
        `cannot open the evidence store ${file}: ${why}; ${ASK_FOR_ACCESS}`,
        error,
      );
    }
    if (options.create && !options.readonly) return false;
    throw usageError(
      'EVIDENCE_NOT_FOUND',
      why === 'no such file'
        ? `no evidence store at ${file} (create one with: credline evidence init --db ${file})`
        : `no evidence store at ${file}: ${why}; check the --db path`,
      error,
    );
  }
  if (stats.isDirectory()) {
    throw usageError(
      'EVIDENCE_OPEN',
      `cannot open the evidence store ${file}: it is a directory; give the store's file, e.g. --db ${join(file, 'credline.db')}`,
    );
  }
  try {
    accessSync(file, options.readonly ? constants.R_OK : constants.R_OK | constants.W_OK);
  } catch (error) {
    const mode = options.readonly ? '' : ' (this command writes to it)';
    throw usageError(
      'EVIDENCE_OPEN',
      `cannot open the evidence store ${file}: ${fsErrorText(error)}${mode}; ${ASK_FOR_ACCESS}`,
      error,
    );
  }
  return true;
}

const ASK_FOR_ACCESS = 'ask for access to the file and its directory, or run as the user that owns them';

function createPrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const what = code === 'ENOENT' ? 'create the directory first' : ASK_FOR_ACCESS;
    throw usageError(
      'EVIDENCE_CREATE',
      `cannot create the evidence store ${file}: ${pathErrorText(error, file)}; ${what}, or choose another --db path`,
      error,
    );
  }
}

/** Why SQLite could not open the file, in words where the code has a usual cause. */
function cannotOpenText(file: string, error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const why =
    code === 'SQLITE_NOTADB'
      ? 'it is not an SQLite database (another kind of file, or its first page was damaged); check the --db path'
      : code === 'SQLITE_READONLY_DIRECTORY'
        ? `the store is in WAL mode and SQLite cannot create its ${basename(file)}-shm file in the read-only ` +
          'directory; copy it to a writable directory, or read a backup (evidence backup writes files that need no -shm)'
        : describeSqliteError(error);
  return `cannot open the evidence store ${file}: ${why}`;
}

/**
 * Refuses a file that is not a credline evidence store. A writer may turn an empty file (or an empty SQLite
 * database) into one; a reader never does, so for a reader an empty file is not a store either.
 */
function assertCredlineFile(db: Database.Database, file: string, readonly: boolean): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = userVersion(db);
  if (applicationId === APPLICATION_ID) {
    assertKnownVersion(version, file);
    return;
  }
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as {
    n: number;
  };
  const empty = applicationId === 0 && tables.n === 0 && version === 0;
  if (readonly || !empty) {
    throw new CredlineError(
      'EVIDENCE_NOT_CREDLINE',
      `${file}: not a credline evidence store (${empty ? 'it is empty' : "it is another program's SQLite database"}); check the --db path`,
      { exitCode: ExitCode.usage },
    );
  }
}

/**
 * The error to show when a read-only query needs a table that a newer schema version adds (a reader never
 * migrates), or undefined when `error` is something else.
 */
export function olderSchemaError(
  db: Database.Database,
  file: string,
  error: unknown,
): CredlineError | undefined {
  const message = error instanceof Error ? error.message : '';
  if (!/^no such (table|column)/.test(message)) return undefined;
  const version = userVersion(db);
  if (version >= LATEST_VERSION) return undefined;
  return usageError(
    'EVIDENCE_OLD_SCHEMA',
    `${file}: this store is at schema version ${version} (this credline writes ${LATEST_VERSION}) and lacks what ` +
      `this command reads; open it with a writing command (e.g. credline evidence init --db ${file}) to migrate`,
    error,
  );
}

export function describeSqliteError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${message} (${code})` : message;
}
