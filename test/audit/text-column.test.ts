import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextColumn } from '../../src/audit/text-column.js';

describe('TextColumn', () => {
  it('gives back every value pushed, equal to the string, across slabs', () => {
    const column = new TextColumn();
    const values = Array.from({ length: 120_000 }, (_, i) => `KL2301-${i}-${'é'.repeat(i % 5)}`);
    for (const value of values) column.push(value);
    expect(column.length).toBe(values.length);
    for (let i = 0; i < values.length; i += 997) expect(column.at(i)).toBe(values[i]);
    expect(column.at(values.length - 1)).toBe(values.at(-1));
    expect([column.at(-1), column.at(values.length), column.at(1.5)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('keeps any string exactly: empty, long, astral, lone surrogates', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.string({ unit: 'grapheme', maxLength: 3000 }),
            fc.constantFrom('', '\ud800', 'a\udc00b', 'x'.repeat(5000)),
          ),
        ),
        (values) => {
          const column = new TextColumn();
          for (const value of values) column.push(value);
          expect(values.map((_, i) => column.at(i))).toEqual(values);
        },
      ),
    );
  });
});
