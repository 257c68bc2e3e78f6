/**
 * Reads a batch from a CSV file (header row; BOM, CRLF and quoted fields handled by csv-parse), streaming, so a
 * 1,000,000-row file costs its columns and no more. Malformed rows (bad quoting, wrong field count, overlong
 * password) are collected with their line numbers; they never stop the audit.
 */
import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { parse } from 'csv-parse';
import { usageError } from '../errors/credline-error.js';
import type { AuditBatch } from './audit-types.js';
import { fsErrorText } from '../errors/fs-error-text.js';

export interface CsvBatchOptions {
  /** The password column's header; auto-detected when absent. */
  passwordColumn?: string;
  /** Identifier columns' headers; auto-detected (serial, mac, imei, ssid and their usual names) when absent. */
  identifierColumns?: readonly string[];
}

export interface CsvBatch {
  batch: AuditBatch;
  malformed: { line: number; message: string }[];
  /** header name -> the identifier name used in reports (serial, mac, imei, ssid, or the header itself). */
  columns: { password: string; identifiers: Record<string, string> };
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

function resolveColumns(
  header: readonly string[],
  options: CsvBatchOptions,
  path: string,
): {
  passwordIndex: number;
  password: string;
  identifiers: { index: number; header: string; name: string }[];
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
        `${path}: no column "${options.passwordColumn}" in the header (found: ${header.join(', ')})`,
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
          `${path}: no column "${wanted}" in the header (found: ${header.join(', ')})`,
        );
      }
      const canonical = Object.entries(IDENTIFIER_NAMES).find(([, names]) =>
        names.includes(normalise(wanted)),
      );
      identifiers.push({ index, header: header[index] ?? wanted, name: canonical?.[0] ?? wanted });
    }
  } else {
    header.forEach((h, index) => {
      const canonical = Object.entries(IDENTIFIER_NAMES).find(([, names]) => names.includes(normalise(h)));
      if (canonical && index !== passwordIndex && !identifiers.some((i) => i.name === canonical[0])) {
        identifiers.push({ index, header: h, name: canonical[0] });
      }
    });
  }
  return { passwordIndex, password: header[passwordIndex] ?? '', identifiers };
}

/**
 * Reads `path` into a batch.
 *
 * @example const { batch, malformed } = await readCsvBatch('supplier.csv', { passwordColumn: 'wifi_key' });
 */
export async function readCsvBatch(path: string, options: CsvBatchOptions = {}): Promise<CsvBatch> {
  const malformed: { line: number; message: string }[] = [];
  const parser = createReadStream('', { fd: openInput(path) }).pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      trim: false,
    }),
  );
  parser.on('skip', (error: Error & { lines?: number }) => {
    malformed.push({ line: error.lines ?? 0, message: describeCsvError(error) });
  });
  let columns: ReturnType<typeof resolveColumns> | undefined;
  const batch: AuditBatch = { passwords: [], lines: [], identifiers: {} };
  let width = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!columns) {
        columns = resolveColumns(record, options, path);
        width = record.length;
        for (const id of columns.identifiers) batch.identifiers[id.name] = [];
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
      for (const id of columns.identifiers) batch.identifiers[id.name]?.push(record[id.index] ?? '');
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
      return finish(batch, malformed, columns);
    }
    throw error;
  }
  if (!columns) throw usageError('AUDIT_INPUT', `${path}: empty file (a header row is needed)`);
  return finish(batch, malformed, columns);
}

function finish(
  batch: AuditBatch,
  malformed: { line: number; message: string }[],
  columns: ReturnType<typeof resolveColumns>,
): CsvBatch {
  return {
    batch,
    malformed,
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
