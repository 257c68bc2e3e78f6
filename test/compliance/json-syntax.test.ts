import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../src/compliance/json-syntax.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxError', () => {
  it('points at the first bad character', () => {
    expect(findJsonSyntaxError('{"a": oops}')).toBe(6);
    expect(findJsonSyntaxError('{"a": 1,}')).toBe(8);
    expect(findJsonSyntaxError('[1 2]')).toBe(3);
    expect(findJsonSyntaxError('{"a": "x\ny"}')).toBe(8);
    expect(findJsonSyntaxError('{"a": 1} x')).toBe(9);
    expect(findJsonSyntaxError('')).toBe(0);
    expect(findJsonSyntaxError(' {"a": [1, -2.5e3, true, null, "\\u00e9"]} ')).toBe(-1);
  });

  it('agrees with JSON.parse on valid and mangled documents', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.nat(),
        fc.constantFrom('', '}', ',', 'x', '"', ':'),
        (value, at, junk) => {
          const text = JSON.stringify(value, null, 1);
          const cut = at % (text.length + 1);
          const mangled = text.slice(0, cut) + junk + text.slice(cut);
          expect(findJsonSyntaxError(text)).toBe(-1);
          expect(findJsonSyntaxError(mangled) === -1).toBe(parses(mangled));
        },
      ),
      { numRuns: 500 },
    );
  });
});
