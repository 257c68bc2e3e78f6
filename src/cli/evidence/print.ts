/** Printing for the evidence commands: a line, or records as text lines, one JSON array, or JSON lines. */
import { outputClosed } from '../closed-output.js';
import type { OutputFormat } from './options.js';

export function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Writes one record after another in `format`; `end` closes a JSON array. */
function recordPrinter<T>(
  format: OutputFormat,
  asText: (record: T) => string,
): { print: (record: T) => void; end: () => void } {
  let first = true;
  if (format === 'json') process.stdout.write('[');
  return {
    print: (record) => {
      if (format === 'json') process.stdout.write(`${first ? '\n' : ',\n'}${JSON.stringify(record)}`);
      else write(format === 'jsonl' ? JSON.stringify(record) : asText(record));
      first = false;
    },
    end: () => {
      if (format === 'json') write(first ? ']' : '\n]');
    },
  };
}

/** Prints records as text lines, one JSON array, or JSON lines; stops when the reader of stdout has gone. */
export function printRecords<T>(
  records: Iterable<T>,
  format: OutputFormat,
  asText: (record: T) => string,
): void {
  const printer = recordPrinter(format, asText);
  for (const record of records) {
    if (outputClosed()) return;
    printer.print(record);
  }
  printer.end();
}

/** printRecords for records that arrive asynchronously (the central store's pages). */
export async function printRecordStream<T>(
  records: AsyncIterable<T>,
  format: OutputFormat,
  asText: (record: T) => string,
): Promise<void> {
  const printer = recordPrinter(format, asText);
  for await (const record of records) {
    if (outputClosed()) return;
    printer.print(record);
  }
  printer.end();
}
