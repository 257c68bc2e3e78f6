import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGarbage, LineFramer } from '../../src/transport/line-framer.js';

const feed = (f: LineFramer, ...chunks: string[]): string[] =>
  chunks.flatMap((c) => f.push(Buffer.from(c, 'latin1')));

describe('LineFramer', () => {
  it('ends lines on CR, LF and CR LF, counting a split CR LF once', () => {
    const f = new LineFramer();
    expect(feed(f, 'a\r', '\nb\nc\r', 'd\r\n\r\n')).toEqual(['a', 'b', 'c', 'd']);
  });
  it('keeps the unterminated rest as pending (a prompt)', () => {
    const f = new LineFramer();
    expect(feed(f, 'done\r\n=> ')).toEqual(['done']);
    expect(f.pending).toBe('=> ');
    f.clear();
    expect(f.pending).toBe('');
  });
  it('cuts an endless line at the limit instead of growing without bound', () => {
    const f = new LineFramer(8);
    expect(feed(f, 'abcdefghij')).toEqual(['abcdefgh']);
    expect(f.pending).toBe('ij');
  });
  it('keeps garbage bytes visible', () => {
    const [line] = feed(new LineFramer(), '\x00\xffOK\n');
    expect(line).toBe('\x00\xffOK');
    expect(isGarbage(line ?? '')).toBe(true);
    expect(isGarbage('OK ID serial=X')).toBe(false);
  });
  it('property: any chunking of a stream yields the same lines', () => {
    const lineArb = fc.stringMatching(/^[ -~]{1,20}$/);
    const endArb = fc.constantFrom('\n', '\r', '\r\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineArb, endArb), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (parts, cuts) => {
          const stream = parts.map(([l, e]) => l + e).join('');
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let at = 0;
          for (const p of points) {
            chunks.push(stream.slice(at, p));
            at = p;
          }
          chunks.push(stream.slice(at));
          expect(feed(new LineFramer(), ...chunks)).toEqual(parts.map(([l]) => l));
        },
      ),
    );
  });
});
