/**
 * Writes a small secret-bearing file atomically: a temporary file in the same directory, created with mode 0600,
 * written and fsynced, then moved into place (link(2) when it must not replace an existing file, so that two
 * writers cannot both win; rename(2) when it may), and the directory fsynced. A reader never sees a partial file,
 * and no temporary file is left behind on failure.
 */
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from '@noble/hashes/utils.js';
import { toHex } from '../derive/index.js';
import { CredlineError, usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';

export const KEY_FILE_MODE = 0o600;

/**
 * Checks that `path` can be written: its directory exists, it is not a directory, and (unless `overwrite`) it does
 * not exist yet. Called before slow work (scrypt) so that a mistake is reported at once.
 */
export function assertWritableTarget(path: string, overwrite: boolean): void {
  if (path === '') throw usageError('KEY_OUT_DIR', 'the output file name is empty');
  const dir = dirname(resolve(path));
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'does not exist'
        : `cannot be used (${fsErrorText(error)})`;
    throw usageError('KEY_OUT_DIR', `cannot write ${path}: directory ${dir} ${why}`);
  }
  if (!dirStat.isDirectory())
    throw usageError('KEY_OUT_DIR', `cannot write ${path}: ${dir} is not a directory`);
  const target = statSync(path, { throwIfNoEntry: false });
  if (target?.isDirectory()) throw usageError('KEY_OUT_DIR', `cannot write ${path}: it is a directory`);
  if (target !== undefined && !overwrite) {
    throw usageError(
      'KEY_FILE_EXISTS',
      `${path} already exists; nothing was written (use --force to replace it)`,
    );
  }
}

/**
 * Atomically writes `text` to `path` with mode 0600.
 *
 * @example
 * writeFileAtomic('line-3.ckey', text, { overwrite: false }); // throws KEY_FILE_EXISTS if it exists
 */
export function writeFileAtomic(path: string, text: string, options: { overwrite: boolean }): void {
  assertWritableTarget(path, options.overwrite);
  const dir = dirname(resolve(path));
  const temp = join(dir, `.${basename(path)}.${toHex(randomBytes(6))}.tmp`);
  let tempExists = false;
  try {
    const fd = openSync(temp, 'wx', KEY_FILE_MODE);
    tempExists = true;
    try {
      fchmodSync(fd, KEY_FILE_MODE); // a umask cannot widen it, but make the mode exact
      const data = Buffer.from(text, 'utf8');
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.overwrite) {
      renameSync(temp, path);
      tempExists = false;
    } else {
      moveIntoPlaceNoClobber(temp, path);
    }
    fsyncDirectory(dir);
  } catch (error) {
    if (error instanceof CredlineError) throw error;
    throw usageError('KEY_FILE_WRITE', `cannot write ${path}: ${fsErrorText(error)}`, error);
  } finally {
    if (tempExists) unlinkQuietly(temp);
  }
}

/** link(2) fails with EEXIST instead of replacing; the temporary name is removed by the caller's finally. */
function moveIntoPlaceNoClobber(temp: string, path: string): void {
  try {
    linkSync(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw usageError(
        'KEY_FILE_EXISTS',
        `${path} already exists; nothing was written (use --force to replace it)`,
      );
    }
    // File systems without hard links (FAT, some network mounts): check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
    assertWritableTarget(path, false);
    renameSync(temp, path);
  }
}

function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the file itself is already durable.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone (renamed into place)
  }
}
