import { describe, expect, it } from 'vitest';
import { checkProfile } from '../../src/profiles/check-profile.js';
import { quoteForConsole, unquotableCharacters } from '../../src/profiles/console-safety.js';

describe('hostile inputs never crash profile validation: each gives issues with a path', () => {
  const hostile: Array<[string, unknown]> = [
    ['null', null],
    ['a number', 42],
    ['a string', '{"id":"x"}'],
    ['an array', [{ id: 'x' }]],
    ['an empty object', {}],
    ['__proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "id": "x"}')],
    ['constructor key', { constructor: { prototype: { polluted: true } } }],
    ['a huge id', { id: 'a'.repeat(1_000_000) }],
    ['nested nonsense', { dialogue: { identify: [null, 1, 'x'] } }],
  ];
  for (const [name, input] of hostile) {
    it(name, () => {
      const result = checkProfile(input, 'hostile.json');
      expect(result.issues?.length).toBeGreaterThan(0);
      for (const issue of result.issues ?? []) expect(issue.path).toMatch(/^\$/);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  }
});

describe('console quoting refuses what it cannot protect', () => {
  const uboot = { interprets: ';$\'"\\#', quoting: 'single' } as const;
  it('wraps safe values in single quotes', () => {
    expect(quoteForConsole('a;b$c#d"e\\f', uboot)).toBe(`'a;b$c#d"e\\f'`);
  });
  for (const value of ["it's", 'tab\there', 'new\nline', 'nul\u0000', 'del\u007f', 'é']) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      expect(unquotableCharacters(value, uboot).length).toBeGreaterThan(0);
      expect(() => quoteForConsole(value, uboot)).toThrow(RangeError);
    });
  }
  it('the error never carries the value', () => {
    expect(() => quoteForConsole("s3cret'", uboot)).toThrow(/^(?!.*s3cret)/);
  });
});
