/** Short, secret-free descriptions of file system errors for one-line messages. */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The error's cause in a few words: 'no such file or directory', 'permission denied', 'is a directory', … */
export function fsErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a path component is not a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

/**
 * fsErrorText for an error about `path`, telling a missing directory from a missing file (a mistyped directory
 * is the common case, and "no such file" would send the user looking for the wrong thing).
 *
 * @example pathErrorText(enoent, '/nonexist/x.db'); // 'no such directory /nonexist'
 */
export function pathErrorText(error: unknown, path: string): string {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return fsErrorText(error);
  const dir = dirname(path);
  try {
    return statSync(dir, { throwIfNoEntry: false }) === undefined
      ? `no such directory ${dir}`
      : 'no such file';
  } catch {
    return fsErrorText(error); // the directory cannot even be looked at
  }
}
