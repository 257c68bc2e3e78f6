/** Comparing paths as the file system sees them (two names for one file must compare equal). */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The absolute path with symbolic links resolved as far as the path exists (the last part may be missing). */
export function resolveExisting(path: string): string {
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
