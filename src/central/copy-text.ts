/**
 * Rows in PostgreSQL's COPY text format (one line per row, tab-separated, `\N` for NULL, backslash escapes for
 * backslash, tab, newline and carriage return): the bulk path of sync.
 */
import type { FieldValue } from '../evidence/index.js';

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyField(value: FieldValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string) : value;
}

/**
 * COPY text of chain rows (raw CHAIN_COLUMNS arrays) with `origin` in front, in pieces of about 64 KiB.
 *
 * @example
 * for (const text of copyLines('line1', iterateChainRows(db))) stream.write(text);
 */
export function* copyLines(origin: string, rows: Iterable<readonly FieldValue[]>): Generator<string> {
  const prefix = `${copyField(origin)}\t`;
  let text = '';
  for (const row of rows) {
    let line = prefix;
    for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyField(row[i] ?? null);
    text += `${line}\n`;
    if (text.length >= 65536) {
      yield text;
      text = '';
    }
  }
  if (text) yield text;
}
