import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalBytes,
  chainHash,
  recordHash,
  type FieldKind,
  type FieldValue,
} from '../../src/evidence/chain/canonical.js';

/** docs/evidence.md, "Canonical encoding", written out the plain way (one Buffer per field). */
function referenceBytes(typeTag: string, fields: readonly (readonly [FieldKind, FieldValue])[]): Buffer {
  const field = (text: string | null): Buffer => {
    if (text === null) return Buffer.of(0);
    const utf8 = Buffer.from(text, 'utf8');
    const prefix = Buffer.alloc(5);
    prefix[0] = 1;
    prefix.writeUInt32BE(utf8.length, 1);
    return Buffer.concat([prefix, utf8]);
  };
  const text = ([kind, value]: readonly [FieldKind, FieldValue]): string | null =>
    value === null ? null : kind === 'real3' ? (value as number).toFixed(3) : String(value);
  return Buffer.concat([field(typeTag), ...fields.map((f) => field(text(f)))]);
}

const textValue = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.string({ minLength: 1, maxLength: 300 }),
  fc.string({ minLength: 1, maxLength: 10, unit: 'binary' }),
  fc.string({ minLength: 120, maxLength: 140, unit: fc.constantFrom('a', 'é', '€', '\u0000') }),
);
const fieldArb: fc.Arbitrary<readonly [FieldKind, FieldValue]> = fc.oneof(
  fc.tuple(fc.constant('text' as const), fc.option(textValue, { nil: null })),
  fc.tuple(fc.constant('int' as const), fc.option(fc.maxSafeInteger(), { nil: null })),
  fc.tuple(
    fc.constant('real3' as const),
    fc.option(
      fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000),
      { nil: null },
    ),
  ),
  fc.tuple(
    fc.constant('time' as const),
    fc
      .date({ min: new Date(0), max: new Date(Date.UTC(9999, 0)), noInvalidDate: true })
      .map((d) => d.toISOString()),
  ),
  fc.tuple(
    fc.constant('date' as const),
    fc
      .date({ min: new Date(0), max: new Date(Date.UTC(9999, 0)), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  ),
);

describe('canonical encoding (property)', () => {
  it('equals the plain field-by-field encoding for any ASCII, non-ASCII, short or long values', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant('credline.event.v1'), fc.string({ minLength: 1, maxLength: 200 })),
        fc.array(fieldArb, { maxLength: 30 }),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        (tag, fields, prevHash) => {
          const expected = referenceBytes(tag, fields);
          expect(canonicalBytes(tag, fields).equals(expected)).toBe(true);
          const independent = createHash('sha256')
            .update(Buffer.from(prevHash, 'hex'))
            .update(expected)
            .digest('hex');
          expect(chainHash(prevHash, expected)).toBe(independent);
          const kinds = fields.map((f) => f[0]);
          const values = fields.map((f) => f[1]);
          expect(recordHash(prevHash, tag, kinds, values)).toBe(independent);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('still refuses a value its kind cannot hold', () => {
    expect(() => canonicalBytes('t', [['int', 1.5]])).toThrow(/expected an integer/);
    expect(() => canonicalBytes('t', [['time', '2026-11-24']])).toThrow(/ISO-8601/);
    expect(() => canonicalBytes('t', [['text', '']])).toThrow(/non-empty text/);
  });
});
