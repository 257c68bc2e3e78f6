/** Printing for the evidence commands: a line, or records as text lines, one JSON array, or JSON lines. */
import { outputClosed } from '../closed-output.js';
import type { OutputFormat } from './options.js';

export function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Prints records as text lines, one JSON array, or JSON lines; stops when the reader of stdout has gone. */
export function printRecords<T>(
  records: Iterable<T>,
  format: OutputFormat,
  asText: (record: T) => string,
): void {
  if (format === 'json') {
    let first = true;
    process.stdout.write('[');
    for (const record of records) {
      if (outputClosed()) return;
      process.stdout.write(`${first ? '\n' : ',\n'}${JSON.stringify(record)}`);
      first = false;
    }
    write(first ? ']' : '\n]');
    return;
  }
  for (const record of records) {
    if (outputClosed()) return;
    write(format === 'jsonl' ? JSON.stringify(record) : asText(record));
  }
}
