/**
 * A label output on the file system: a regular file (created 0600, appended to), a named pipe read by the
 * printer's driver, or a printer's character device (`/dev/usb/lp0`). Never stdout: labels carry passwords.
 */
import { closeSync, constants, fstatSync, openSync, realpathSync, statSync, writeSync } from 'node:fs';
import { CredlineError, usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';
import { refuseStdout } from './output-path.js';

export interface LabelSink {
  /** Resolves once the bytes are with the printer (or its file); throws a CredlineError (exit 3) otherwise. */
  send(bytes: string): Promise<void>;
  close(): void;
}

/**
 * Opens `path` for appending. An existing regular file readable by others is refused; opening a named pipe waits
 * until the printer side opens it (`onWaitForReader` is told first).
 */
export function openFileSink(
  path: string,
  options: { onWaitForReader?: (path: string) => void; allowDevice?: boolean } = {},
): LabelSink {
  refuseStdout(path);
  if (isNamedPipe(path)) options.onWaitForReader?.(path);
  let fd: number;
  try {
    fd = openSync(
      path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (error) {
    throw usageError('LABELS_OPEN', `cannot open label output ${path}: ${fsErrorText(error)}`);
  }
  const stat = fstatSync(fd);
  if (stat.isFile() && (stat.mode & 0o077) !== 0) {
    closeSync(fd);
    throw usageError(
      'LABELS_MODE',
      `label file ${path} is readable or writable by others (mode ${(stat.mode & 0o777).toString(8)}); chmod 600 it first`,
    );
  }
  if (!stat.isFile() && !stat.isFIFO() && !(options.allowDevice && stat.isCharacterDevice())) {
    const target = realpathSync(path);
    closeSync(fd);
    const kinds = options.allowDevice
      ? 'a regular file, a named pipe or a printer device'
      : 'a regular file or a named pipe';
    throw usageError('LABELS_KIND', `label output ${target} must be ${kinds}`);
  }
  return {
    send(bytes) {
      try {
        writeSync(fd, bytes);
      } catch (error) {
        return Promise.reject(
          new CredlineError(
            'LABELS_WRITE',
            `cannot write to label output ${path}: ${writeErrorText(error)}`,
            {
              exitCode: 3,
            },
          ),
        );
      }
      return Promise.resolve();
    },
    close() {
      closeSync(fd);
    },
  };
}

function isNamedPipe(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}

function writeErrorText(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'EPIPE'
    ? 'the label printer stopped reading (EPIPE)'
    : fsErrorText(error);
}
