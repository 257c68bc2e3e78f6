/**
 * Keeps one bad line of a CSV from swallowing the rest of the file. A quote that opens a field and never closes
 * makes an RFC 4180 parser read every following line into that field: a stray quote on line 201 of 2,001 would leave
 * 1,800 rows unaudited and the error at line 2,001. This pass goes before the parser (csv-parse) and finds where
 * each record ends: a quoted field may run over at most {@link MAX_RECORD_LINES} lines, and a record that does so
 * must have the header's number of fields. A line that opens a quote not closed that way is reported as malformed
 * (its own line number) and replaced by an empty line, so the parser's line numbers stay right and it goes on with
 * the next line. Everything else passes through unchanged. Linear: each line is scanned at most that many times.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** The most physical lines one record (a quoted field holding line breaks) may span. */
export const MAX_RECORD_LINES = 8;

export interface MalformedLine {
  line: number;
  message: string;
}

interface LineScan {
  /** The line ends inside a quoted field. */
  inQuote: boolean;
  /** Delimiters outside quoted fields. */
  delimiters: number;
}

/** Scans one physical line, starting inside a quoted field or not. A quote opens a field only at its start. */
export function scanLine(line: string, delimiter: string, inQuote: boolean): LineScan {
  let quoted = inQuote;
  let fieldStart = !inQuote;
  let delimiters = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (c === delimiter) {
      delimiters++;
      fieldStart = true;
      continue;
    }
    if (c === '"' && fieldStart) quoted = true;
    fieldStart = false;
  }
  return { inQuote: quoted, delimiters };
}

/** Text in, the same text out with unclosable lines emptied; `onMalformed` hears of each. */
export class RecordGuard extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private lineNumber = 0;
  private width: number | undefined;
  /** Lines of a record still inside a quoted field, with their numbers. */
  private open: { text: string; line: number }[] = [];
  private openDelimiters = 0;

  constructor(
    private readonly delimiter: string,
    private readonly onMalformed: (malformed: MalformedLine) => void,
  ) {
    super({ decodeStrings: true, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.rest + this.decoder.write(chunk);
    const lastBreak = text.lastIndexOf('\n');
    if (this.open.length === 0 && this.width !== undefined && !text.includes('"')) {
      // No quote anywhere: every line ends a record. Only the lines are counted; the text goes through as it is.
      for (let at = text.indexOf('\n'); at !== -1 && at <= lastBreak; at = text.indexOf('\n', at + 1)) {
        this.lineNumber++;
      }
      this.rest = text.slice(lastBreak + 1);
      if (lastBreak >= 0) this.push(text.slice(0, lastBreak + 1));
      done();
      return;
    }
    let start = 0;
    const out: string[] = [];
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.takeLine(text.slice(start, end), ++this.lineNumber, out);
      start = end + 1;
    }
    this.rest = text.slice(start);
    if (out.length > 0) this.push(out.join(''));
    done();
  }

  override _flush(done: TransformCallback): void {
    const out: string[] = [];
    const last = this.rest + this.decoder.end();
    if (last.length > 0) this.takeLine(last, ++this.lineNumber, out);
    while (this.open.length > 0) this.giveUp(out);
    if (out.length > 0) this.push(out.join(''));
    done();
  }

  private takeLine(text: string, line: number, out: string[]): void {
    const body = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (this.open.length === 0) {
      const scan = body.includes('"')
        ? scanLine(body, this.delimiter, false)
        : { inQuote: false, delimiters: 0 };
      if (!scan.inQuote) {
        if (this.width === undefined && body.trim().length > 0) {
          this.width = scanLine(body, this.delimiter, false).delimiters + 1;
        }
        out.push(`${text}\n`);
        return;
      }
      this.open = [{ text, line }];
      this.openDelimiters = scan.delimiters;
      return;
    }
    const scan = scanLine(body, this.delimiter, true);
    this.open.push({ text, line });
    this.openDelimiters += scan.delimiters;
    if (scan.inQuote) {
      if (this.open.length >= MAX_RECORD_LINES) this.giveUp(out);
      return;
    }
    if (this.width !== undefined && this.openDelimiters + 1 !== this.width) {
      this.giveUp(out);
      return;
    }
    this.width ??= this.openDelimiters + 1;
    out.push(this.open.map((l) => `${l.text}\n`).join(''));
    this.open = [];
  }

  /** The open record's first line is malformed: empty it and read the lines after it afresh. */
  private giveUp(out: string[]): void {
    const [first, ...again] = this.open;
    this.open = [];
    this.openDelimiters = 0;
    if (!first) return;
    this.onMalformed({ line: first.line, message: 'a quoted field is not closed' });
    out.push('\n');
    for (const l of again) this.takeLine(l.text, l.line, out);
  }
}
