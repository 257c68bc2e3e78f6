/**
 * Splits a byte stream into lines. CR, LF and CR LF each end a line (a CR LF split across two chunks still counts
 * once); empty lines are dropped; bytes are kept 1:1 as latin1 so garbage stays visible. The unterminated rest is
 * available as `pending` (a console prompt such as `=> ` never ends with a newline).
 *
 * @example
 * const f = new LineFramer();
 * f.push(Buffer.from('OK ID\r')); // ['OK ID']
 * f.push(Buffer.from('\n=> '));   // [] and f.pending === '=> '
 */
export class LineFramer {
  private rest = '';
  private lastWasCR = false;

  constructor(private readonly maxLineBytes = 4096) {}

  /** Feeds a chunk; returns the lines it completed, without their terminators. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    for (const ch of text) {
      if (ch === '\n' && this.lastWasCR) {
        this.lastWasCR = false;
        continue;
      }
      this.lastWasCR = ch === '\r';
      if (ch === '\r' || ch === '\n') {
        if (this.rest.length > 0) lines.push(this.rest);
        this.rest = '';
      } else {
        this.rest += ch;
        if (this.rest.length >= this.maxLineBytes) {
          lines.push(this.rest);
          this.rest = '';
        }
      }
    }
    return lines;
  }

  /** The bytes received after the last line ending. */
  get pending(): string {
    return this.rest;
  }

  clear(): void {
    this.rest = '';
    this.lastWasCR = false;
  }
}

/** True when a line holds a byte outside printable ASCII and tab: line noise, a baud mismatch, a crash dump. */
export function isGarbage(line: string): boolean {
  return /[^\x20-\x7e\t]/.test(line);
}
