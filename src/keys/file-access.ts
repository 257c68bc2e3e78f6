/**
 * Files holding secrets that group or others can read: a sealed key file (open to offline guessing of its
 * passphrase) or a passphrase file (the passphrase itself). Every command that reads one warns the same way.
 */
import { statSync } from 'node:fs';

/**
 * The warning for `path` when group or others have any access to it (mode & 077), else undefined (also when it
 * cannot be stat-ed: reading it will say why).
 *
 * @example exposedSecretWarning('pass.txt', 'passphrase file')
 * // 'passphrase file pass.txt can be read by group or others (mode 644): chmod 600 pass.txt'
 */
export function exposedSecretWarning(path: string, what: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) === 0) return undefined;
  return `${what} ${path} can be read by group or others (mode ${(mode & 0o777).toString(8)}): chmod 600 ${path}`;
}
