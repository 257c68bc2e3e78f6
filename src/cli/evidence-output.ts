/**
 * The guard in front of every evidence command that writes a file (`export`, its `.sha256`, `backup`): an output
 * path that is the evidence store itself or one of its SQLite side files is refused even with `--force` (writing
 * there destroys the evidence), and an existing file is refused unless the command allows `--force`.
 */
import { resolveExisting } from './resolve-path.js';
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CredlineError, usageError } from '../errors/credline-error.js';
import { fsErrorText, pathErrorText } from '../errors/fs-error-text.js';

/** The files SQLite keeps next to a database: the write-ahead log, its index, the rollback journal. */
const SIDE_FILES = ['', '-wal', '-shm', '-journal'] as const;

export interface OutputGuard {
  /** The evidence store the command reads. */
  db: string;
  /** Replacing an existing file is allowed (`--force`); a command that never overwrites passes false. */
  force: boolean;
  /** What to say about `--force` when the file exists (how this command treats existing files). */
  existsHint: string;
}

/**
 * Throws a usage error (exit 2, nothing written) when `out` must not be written.
 *
 * @example assertSafeOutput('B1.csv', { db: 'line1.db', force: false, existsHint: 'pass --force to replace it' });
 */
export function assertSafeOutput(out: string, guard: OutputGuard): void {
  const target = resolveExisting(out);
  const stats = statOrUndefined(out);
  for (const suffix of SIDE_FILES) {
    const protectedPaths = new Set([resolve(guard.db + suffix), resolveExisting(guard.db) + suffix]);
    const storeFile = statOrUndefined(guard.db + suffix);
    const sameFile = stats !== undefined && storeFile !== undefined && isSameFile(stats, storeFile);
    if (protectedPaths.has(target) || sameFile) {
      throw usageError(
        'EVIDENCE_OUT_IS_STORE',
        `refusing to write ${out}: it is ${suffix === '' ? 'the evidence store' : `the ${suffix.slice(1)} file of the evidence store`} ` +
          `${guard.db}, and writing there would destroy the evidence (--force or not); choose another output file`,
      );
    }
  }
  assertDirectoryWritable(out);
  if (stats?.isDirectory()) {
    throw usageError('EVIDENCE_OUT_EXISTS', `cannot write ${out}: it is a directory; give a file name`);
  }
  if (stats !== undefined && !guard.force) {
    throw usageError('EVIDENCE_OUT_EXISTS', `${out} already exists; ${guard.existsHint}`);
  }
}

/**
 * Says in words why a write failed, for an error that export.ts reports with a raw errno code (or the raw error
 * of the `.sha256` write); undefined when `error` is not a failed write.
 *
 * @example throw writeFailure(error, opts.out) ?? error;
 */
export function writeFailure(error: unknown, out: string): CredlineError | undefined {
  const cause =
    error instanceof CredlineError ? (error.code === 'EVIDENCE_EXPORT' ? error.cause : undefined) : error;
  const errno = cause as NodeJS.ErrnoException | undefined;
  if (typeof errno?.code !== 'string' || !errno.code.startsWith('E')) return undefined;
  const path = errno.path ?? out;
  return usageError('EVIDENCE_EXPORT', `cannot write ${path}: ${pathErrorText(errno, path)}`, error);
}

/** The output's directory must exist and be writable: checked before any work, so nothing is half-written. */
function assertDirectoryWritable(out: string): void {
  const dir = dirname(out);
  const refuse = (why: string, cause?: unknown): never => {
    throw usageError('EVIDENCE_OUT_DIR', `cannot write ${out}: ${why}; choose another output path`, cause);
  };
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    return refuse(pathErrorText(error, out), error);
  }
  if (!stats.isDirectory()) refuse(`${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    refuse(`${fsErrorText(error)} (directory ${dir} is not writable)`, error);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** One file under two names (a hard link or a symbolic link). */
function isSameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}
