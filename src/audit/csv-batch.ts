/**
 * Reads a batch from a CSV file (header row; BOM, CRLF and quoted fields handled by csv-parse), streaming, so a
 * 1,000,000-row file costs its columns and no more. Malformed rows (bad quoting, wrong field count, overlong
 * password) are collected with their line numbers; they never stop the audit, and one never hides the rows after it
 * (csv-records.ts). The file's SHA-256 is taken on the way, so a report names the exact bytes it judged. Header
 * names are outside text: they are escaped before they reach any message or report.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { parse } from 'csv-parse';
import { usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';
import { printable } from '../errors/printable.js';
import type { AuditBatch, AuditInput } from './audit-types.js';
import { RecordGuard, scanLine } from './csv-records.js';
import { TextColumn } from './text-column.js';

export interface CsvBatchOptions {
  /** The password column's header; auto-detected when absent. */
  passwordColumn?: string;
  /** Identifier columns' headers; auto-detected (serial, mac, imei, ssid and their usual names) when absent. */
  identifierColumns?: readonly string[];
  /** The field delimiter (one character); detected from the header line (`,` `;` or TAB) when absent. */
  delimiter?: string;
}

export interface CsvBatch {
  batch: AuditBatch;
  malformed: { line: number; message: string }[];
  /** header name -> the identifier name used in reports (serial, mac, imei, ssid, or the header itself). */
  columns: { password: string; identifiers: Record<string, string> };
  /** The file's SHA-256, its data rows (audited and malformed) and the delimiter used. */
  input: Omit<AuditInput, 'source'>;
}

const MAX_PASSWORD_CHARS = 1024;

const normalise = (header: string): string => header.toLowerCase().replace(/[^a-z0-9]/g, '');

const PASSWORD_NAMES = [
  'password',
  'defaultpassword',
  'pass',
  'passwd',
  'pwd',
  'psk',
  'wpakey',
  'wifikey',
  'wifipassword',
  'key',
];
const IDENTIFIER_NAMES: Record<string, string[]> = {
  serial: ['serial', 'serialnumber', 'serialno', 'sn', 'devicesn', 'deviceserial'],
  mac: ['mac', 'macaddress', 'macaddr', 'ethmac', 'wifimac', 'bssid', 'wanmac', 'lanmac'],
  imei: ['imei'],
  ssid: ['ssid', 'wifissid', 'essid', 'wlanssid'],
};

/** A column naming the line key each row's password was derived under (as `credline derive` writes it). */
const KEY_ID_NAMES = ['keyid', 'linekeyid'];

function resolveColumns(
  header: readonly string[],
  options: CsvBatchOptions,
  path: string,
): {
  passwordIndex: number;
  password: string;
  identifiers: { index: number; header: string; name: string }[];
  keyIdIndex: number;
} {
  const find = (name: string): number => {
    const exact = header.indexOf(name);
    return exact >= 0 ? exact : header.findIndex((h) => normalise(h) === normalise(name));
  };
  let passwordIndex: number;
  if (options.passwordColumn !== undefined) {
    passwordIndex = find(options.passwordColumn);
    if (passwordIndex < 0) {
      throw usageError(
        'AUDIT_COLUMN',
        `${path}: no column "${printable(options.passwordColumn)}" in the header (found: ${shown(header)})`,
      );
    }
  } else {
    passwordIndex = header.findIndex((h) => PASSWORD_NAMES.includes(normalise(h)));
    if (passwordIndex < 0) {
      throw usageError(
        'AUDIT_COLUMN',
        `${path}: no password column found (looked for ${PASSWORD_NAMES.join(', ')}); name it with --password-column`,
      );
    }
  }
  const identifiers: { index: number; header: string; name: string }[] = [];
  if (options.identifierColumns !== undefined) {
    for (const wanted of options.identifierColumns) {
      const index = find(wanted);
      if (index < 0) {
        throw usageError(
          'AUDIT_COLUMN',
          `${path}: no column "${printable(wanted)}" in the header (found: ${shown(header)})`,
        );
      }
      const canonical = Object.entries(IDENTIFIER_NAMES).find(([, names]) =>
        names.includes(normalise(wanted)),
      );
      const name = canonical?.[0] ?? printable(wanted, 64);
      identifiers.push({ index, header: printable(header[index] ?? wanted, 64), name });
    }
  } else {
    header.forEach((h, index) => {
      const canonical = Object.entries(IDENTIFIER_NAMES).find(([, names]) => names.includes(normalise(h)));
      if (canonical && index !== passwordIndex && !identifiers.some((i) => i.name === canonical[0])) {
        identifiers.push({ index, header: printable(h, 64), name: canonical[0] });
      }
    });
  }
  const keyIdIndex = header.findIndex((h, i) => i !== passwordIndex && KEY_ID_NAMES.includes(normalise(h)));
  return { passwordIndex, password: printable(header[passwordIndex] ?? '', 64), identifiers, keyIdIndex };
}

/** A header for a one-line message: each name escaped, at most 20 of them. */
function shown(header: readonly string[]): string {
  const names = header.slice(0, 20).map((h) => printable(h, 40));
  return `${names.join(', ')}${header.length > 20 ? ', ...' : ''}`;
}

const DELIMITERS = [',', ';', '\t'];

/**
 * The delimiter of a CSV whose first line is `head`: of comma, semicolon and TAB, the one found most often outside
 * quotes (a comma when none is).
 */
export function detectDelimiter(head: string): string {
  const line = head.replace(/^\uFEFF/, '').split('\n', 1)[0] ?? '';
  let best = ',';
  let most = 0;
  for (const delimiter of DELIMITERS) {
    const count = scanLine(line, delimiter, false).delimiters;
    if (count > most) {
      best = delimiter;
      most = count;
    }
  }
  return best;
}

function firstBytes(fd: number): string {
  const buffer = Buffer.alloc(64 * 1024);
  const read = readSync(fd, buffer, 0, buffer.length, 0);
  return buffer.subarray(0, read).toString('utf8');
}

/**
 * Reads `path` into a batch; `onRead` hears how far reading has got (bytes so far, the file's size).
 *
 * @example const { batch, malformed } = await readCsvBatch('supplier.csv', { passwordColumn: 'wifi_key' });
 */
export async function readCsvBatch(
  path: string,
  options: CsvBatchOptions = {},
  onRead?: (bytes: number, totalBytes: number) => void,
): Promise<CsvBatch> {
  const malformed: { line: number; message: string }[] = [];
  const fd = openInput(path);
  if (options.delimiter !== undefined && [...options.delimiter].length !== 1) {
    closeSync(fd);
    throw usageError(
      'AUDIT_USAGE',
      `--delimiter expected one character, got ${JSON.stringify(options.delimiter)}`,
    );
  }
  const delimiter = options.delimiter ?? detectDelimiter(firstBytes(fd));
  const hash = createHash('sha256');
  const bytes = createReadStream('', { fd });
  const totalBytes = fstatSync(fd).size;
  let readBytes = 0;
  bytes.on('data', (chunk) => {
    hash.update(chunk);
    readBytes += chunk.length;
    onRead?.(readBytes, totalBytes);
  });
  const guard = new RecordGuard(delimiter, (m) => malformed.push(m));
  bytes.on('error', (error) => guard.destroy(error));
  const parser = bytes.pipe(guard).pipe(
    parse({
      bom: true,
      info: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      trim: false,
    }),
  );
  guard.on('error', (error) => parser.destroy(error));
  const input = (): Omit<AuditInput, 'source'> => ({
    sha256: hash.digest('hex'),
    rows: batch.passwords.length + malformed.length,
    delimiter: { char: delimiter, detected: options.delimiter === undefined },
  });
  parser.on('skip', (error: Error & { lines?: number }) => {
    malformed.push({ line: error.lines ?? 0, message: describeCsvError(error) });
  });
  let columns: ReturnType<typeof resolveColumns> | undefined;
  const identifiers = new Map<string, TextColumn>();
  const batch: AuditBatch = { passwords: [], lines: [], identifiers: {} };
  let width = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!columns) {
        columns = resolveColumns(record, options, path);
        width = record.length;
        for (const id of columns.identifiers) {
          const column = new TextColumn();
          identifiers.set(id.name, column);
          batch.identifiers[id.name] = column;
        }
        if (columns.keyIdIndex >= 0) batch.keys = new Map();
        continue;
      }
      if (record.length !== width) {
        malformed.push({ line: info.lines, message: `expected ${width} fields, found ${record.length}` });
        continue;
      }
      const password = record[columns.passwordIndex] ?? '';
      if (password.length > MAX_PASSWORD_CHARS) {
        malformed.push({
          line: info.lines,
          message: `password longer than ${MAX_PASSWORD_CHARS} characters`,
        });
        continue;
      }
      batch.passwords.push(password);
      batch.lines.push(info.lines);
      for (const id of columns.identifiers) identifiers.get(id.name)?.push(record[id.index] ?? '');
      if (batch.keys) {
        const key = printable(record[columns.keyIdIndex] ?? '', 64) || '(none)';
        batch.keys.set(key, (batch.keys.get(key) ?? 0) + 1);
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (columns && typeof code === 'string' && /^(CSV_|INVALID_)/.test(code)) {
      // An error csv-parse cannot skip past (an unclosed quote at the end): report it, keep what was read.
      const line = (error as { lines?: number }).lines ?? 0;
      malformed.push({
        line,
        message: `${describeCsvError(error as Error)}; the rest of the file was not read`,
      });
      // The rest of the file is still hashed: the report names the whole file it was given.
      bytes.unpipe();
      const closed = new Promise<void>((resolve) => bytes.once('close', () => resolve()));
      bytes.resume();
      await closed;
      return finish(batch, malformed, columns, input());
    }
    throw error;
  }
  if (!columns) throw usageError('AUDIT_INPUT', `${path}: empty file (a header row is needed)`);
  return finish(batch, malformed, columns, input());
}

function finish(
  batch: AuditBatch,
  malformed: { line: number; message: string }[],
  columns: ReturnType<typeof resolveColumns>,
  input: Omit<AuditInput, 'source'>,
): CsvBatch {
  malformed.sort((a, b) => a.line - b.line);
  return {
    batch,
    malformed,
    input,
    columns: {
      password: columns.password,
      identifiers: Object.fromEntries(columns.identifiers.map((i) => [i.header, i.name])),
    },
  };
}

function openInput(path: string): number {
  try {
    const fd = openSync(path, 'r');
    if (fstatSync(fd).isDirectory()) {
      closeSync(fd);
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return fd;
  } catch (error) {
    throw usageError('AUDIT_INPUT', `cannot read ${path}: ${fsErrorText(error)}`, error);
  }
}

/** csv-parse's message without the record's text (which could carry a password). */
function describeCsvError(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is not closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by other characters';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'characters after a closing quote';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted field';
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return 'wrong number of fields';
    default:
      return `malformed CSV (${error.code ?? 'parse error'})`;
  }
}
