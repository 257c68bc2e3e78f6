import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula } from '../../src/evidence/export/export.js';

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
