import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvLine, neutraliseFormula } from '../../src/evidence/export.js';

describe('csvLine', () => {
  it('writes exactly what csv-stringify writes with its default options', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', "'", '=', ' ', 'é', '\t') }),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), (cells) => {
        expect(csvLine(cells)).toBe(stringify([cells]));
      }),
      { numRuns: 2000 },
    );
  });

  it('quotes cells holding a comma, quote or line break and doubles quotes', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'x\ny', ''])).toBe('a,"b,c","say ""hi""","x\ny",\n');
  });
});

describe('neutraliseFormula', () => {
  it('prefixes an apostrophe exactly when the cell starts with = + - @ TAB CR or an apostrophe', () => {
    fc.assert(
      fc.property(fc.string(), (cell) => {
        const expected = /^[=+\-@\t\r']/.test(cell) ? `'${cell}` : cell;
        expect(neutraliseFormula(cell)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
