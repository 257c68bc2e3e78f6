/** Where labels may go: never the terminal (labels carry passwords). */
import { usageError } from '../errors/credline-error.js';

/** Throws (exit 2) when `path` names stdout or stderr. */
export function refuseStdout(path: string): void {
  if (
    path === '-' ||
    /^\/dev\/(stdout|stderr|fd\/[12])$/.test(path) ||
    /^\/proc\/self\/fd\/[12]$/.test(path)
  ) {
    throw usageError(
      'LABELS_STDOUT',
      '--labels must be a file or a named pipe, never stdout: labels carry passwords',
    );
  }
}
