/**
 * Splits a byte stream of serials into lines (LF or CRLF; a UTF-8 BOM at the start is dropped; a last line without
 * a newline counts; blank lines at the end of the input are not lines: an editor's trailing newline is no serial)
 * with stream backpressure, so a million-line file is read only as fast as it is processed. Lines come out in
 * batches (one array per input chunk) to keep per-line stream overhead off the hot path. A blank line followed by a
 * serial is still a line (and refused as an empty serial), so no line numbers shift.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export interface NumberedLine {
  lineNumber: number;
  text: string;
}

export class SerialLineSplitter extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private lineNumber = 0;
  private readonly blank: NumberedLine[] = [];

  constructor() {
    super({ readableObjectMode: true, readableHighWaterMark: 4 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pushLines(this.pending + this.decoder.write(chunk), false);
    done();
  }

  override _flush(done: TransformCallback): void {
    this.pushLines(this.pending + this.decoder.end(), true);
    done();
  }

  private pushLines(text: string, final: boolean): void {
    const batch: NumberedLine[] = [];
    const add = (line: string): void => {
      this.lineNumber++;
      const numbered = {
        lineNumber: this.lineNumber,
        text: this.lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line,
      };
      // Blank lines wait: they are lines only if a serial follows them.
      if (numbered.text.trim().length === 0) {
        this.blank.push(numbered);
        return;
      }
      batch.push(...this.blank.splice(0), numbered);
    };
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      add(text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end));
      start = end + 1;
    }
    this.pending = text.slice(start);
    if (final && this.pending.length > 0) add(this.pending);
    if (batch.length > 0) this.push(batch);
  }
}
