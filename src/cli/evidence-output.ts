/**
 * The guard in front of every evidence command that writes a file (`export`, its `.sha256`, `backup`): an output
 * path that is the evidence store itself or one of its SQLite side files is refused even with `--force` (writing
 * there destroys the evidence), and an existing file is refused unless the command allows `--force`.
 */
import { realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { usageError } from '../errors/credline-error.js';

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
  if (stats?.isDirectory()) {
    throw usageError('EVIDENCE_OUT_EXISTS', `cannot write ${out}: it is a directory; give a file name`);
  }
  if (stats !== undefined && !guard.force) {
    throw usageError('EVIDENCE_OUT_EXISTS', `${out} already exists; ${guard.existsHint}`);
  }
}

/** The absolute path with symbolic links resolved as far as the path exists (the last part may be missing). */
function resolveExisting(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
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
