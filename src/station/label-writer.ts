/**
 * Label output: the one place a plaintext password leaves credline. One JSON line per PASS is appended to a file
 * (created 0600) or a named pipe read by the label printer's driver; never stdout. Format (provisioning/LABELS.md):
 * `{"v":1,"serial":"…","password":"…","qr":"CREDLINE:1;S:<serial>;P:<password>;;","printedAt":"…"}`.
 */
import { closeSync, constants, fstatSync, openSync, realpathSync, statSync, writeSync } from 'node:fs';
import { CredlineError, usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';

export interface LabelRecord {
  serial: string;
  password: string;
}

export interface LabelWriter {
  write(record: LabelRecord): void;
  close(): void;
}

/** The QR payload printed on the label (escaping `\`, `;`, `:` as in Wi-Fi QR payloads). */
export function labelQrPayload(record: LabelRecord): string {
  const esc = (s: string): string => s.replace(/([\\;:,"])/g, '\\$1');
  return `CREDLINE:1;S:${esc(record.serial)};P:${esc(record.password)};;`;
}

/**
 * Opens the label output for appending. Refuses stdout/stderr and an existing regular file readable by others.
 * Opening a named pipe waits until the printer side opens it (`onWaitForReader` is told first).
 *
 * @example const labels = openLabelWriter('/var/spool/credline/labels.jsonl');
 */
export function openLabelWriter(
  path: string,
  options: { onWaitForReader?: (path: string) => void } = {},
): LabelWriter {
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
  if (!stat.isFile() && !stat.isFIFO()) {
    const target = realpathSync(path);
    closeSync(fd);
    throw usageError('LABELS_KIND', `label output ${target} must be a regular file or a named pipe`);
  }
  return {
    write(record) {
      const line = `${JSON.stringify({ v: 1, serial: record.serial, password: record.password, qr: labelQrPayload(record), printedAt: new Date().toISOString() })}\n`;
      try {
        writeSync(fd, line);
      } catch (error) {
        throw new CredlineError(
          'LABELS_WRITE',
          `cannot write to label output ${path}: ${labelWriteErrorText(error)}`,
          { exitCode: 3 },
        );
      }
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

function labelWriteErrorText(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'EPIPE'
    ? 'the label printer stopped reading (EPIPE)'
    : fsErrorText(error);
}
