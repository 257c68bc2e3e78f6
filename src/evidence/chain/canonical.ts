/**
 * The canonical byte encoding of a chained evidence record, and its hash (docs/evidence.md, "Canonical encoding",
 * is the normative text; an auditor re-implements exactly this in any language).
 *
 *   canonical(record) = field(typeTag) ‖ field(value₁) ‖ … ‖ field(valueₙ)       (values in the type's field order;
 *                       a field added to the type later is left out while it and every field after it are NULL)
 *   field(NULL)       = 0x00
 *   field(v)          = 0x01 ‖ uint32be(byte length of text(v)) ‖ text(v) as UTF-8
 *   text(v)           = integers in base 10 ("-" for negatives, no leading zeros, no "+");
 *                       3-decimal reals in fixed point with exactly 3 decimals ("41.740");
 *                       text, timestamps (YYYY-MM-DDTHH:MM:SS.sssZ, UTC) and dates (YYYY-MM-DD) as stored.
 *   row_hash          = SHA-256(prev_hash as 32 raw bytes ‖ canonical(record)), stored as lowercase hex;
 *                       the first record's prev_hash is 32 zero bytes.
 */
import { createHash, hash as oneShotHash } from 'node:crypto';

/** How a field's value is written: see the module comment. */
export type FieldKind = 'text' | 'int' | 'real3' | 'time' | 'date';

/** A value as SQLite returns it (better-sqlite3 without safe integers). */
export type FieldValue = string | number | null;

export const GENESIS_HASH = '0'.repeat(64);

const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Writes one field's value as canonical text, or explains why the stored value cannot be a value of that kind
 * (a sign the row was written by hand).
 *
 * @example
 * canonicalText('real3', 41.74); // { text: '41.740' }
 * canonicalText('int', 1.5);     // { problem: 'expected an integer, found 1.5' }
 */
export function canonicalText(
  kind: FieldKind,
  value: Exclude<FieldValue, null>,
): { text: string } | { problem: string } {
  switch (kind) {
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        return { problem: `expected an integer, found ${describe(value)}` };
      return { text: String(value) };
    case 'real3':
      if (typeof value !== 'number' || !Number.isFinite(value) || roundTo3(value) !== value)
        return { problem: `expected a number with at most 3 decimals, found ${describe(value)}` };
      return { text: value.toFixed(3) };
    case 'time':
      if (typeof value !== 'string' || !isIsoTimestamp(value))
        return { problem: `expected an ISO-8601 UTC timestamp with milliseconds, found ${describe(value)}` };
      return { text: value };
    case 'date':
      if (typeof value !== 'string' || !isIsoDate(value))
        return { problem: `expected a date YYYY-MM-DD, found ${describe(value)}` };
      return { text: value };
    case 'text':
      if (typeof value !== 'string' || value.length === 0)
        return { problem: `expected non-empty text or NULL, found ${describe(value)}` };
      return { text: value };
  }
}

/**
 * The canonical bytes of one record: its type tag then every field in order. Throws on a value its kind cannot
 * hold (the library never writes one; verify reports it instead of throwing).
 *
 * @example
 * canonicalBytes('credline.line-key.v1', [['int', 2], ['text', 'd9c183eb84616abf'], ['text', 'line 1'], ...]);
 */
export function canonicalBytes(
  typeTag: string,
  fields: readonly (readonly [FieldKind, FieldValue])[],
): Buffer {
  return Buffer.from(encodeCanonical(typeTag, fields));
}

let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * canonicalBytes without the copy: the returned view is only valid until the next call (the chain writer and
 * verifier hash it at once). One allocation per process instead of one per field.
 */
export function encodeCanonical(
  typeTag: string,
  fields: readonly (readonly [FieldKind, FieldValue])[],
): Buffer {
  return encodeCanonicalValues(
    typeTag,
    fields.map((f) => f[0]),
    fields.map((f) => f[1]),
  );
}

/** encodeCanonical with kinds and values in two parallel arrays (no tuple per field). */
export function encodeCanonicalValues(
  typeTag: string,
  kinds: readonly FieldKind[],
  values: readonly FieldValue[],
): Buffer {
  return scratch.subarray(0, encodeInto(0, typeTag, kinds, values));
}

/**
 * row_hash of a record straight from its values: SHA-256(prev_hash raw bytes ‖ canonical bytes), lowercase hex.
 * The hot path of the chain writer and verify (one buffer, one hash update).
 */
export function recordHash(
  prevHashHex: string,
  typeTag: string,
  kinds: readonly FieldKind[],
  values: readonly FieldValue[],
): string {
  if (scratch.write(prevHashHex, 0, 'hex') !== 32)
    return chainHash(prevHashHex, encodeCanonicalValues(typeTag, kinds, values));
  const end = encodeInto(32, typeTag, kinds, values);
  return oneShotHash('sha256', scratch.subarray(0, end), 'hex');
}

/**
 * Field prefixes as text: 0x01 then the uint32 big-endian length, for lengths 0..127. Every byte is below 0x80,
 * so UTF-8 writes each as the one byte it stands for.
 */
const SHORT_PREFIXES = Array.from({ length: 128 }, (_, n) => String.fromCharCode(1, 0, 0, 0, n));
const NULL_FIELD = String.fromCharCode(0);

/** Writes the canonical bytes at `start`; returns where they end. */
function encodeInto(
  start: number,
  typeTag: string,
  kinds: readonly FieldKind[],
  values: readonly FieldValue[],
): number {
  return encodeAsciiInto(start, typeTag, kinds, values) ?? encodeFieldsInto(start, typeTag, kinds, values);
}

/**
 * The common case in one UTF-8 write: when every text is shorter than 128 characters, the whole record is built
 * as one string whose length prefixes assume one byte per character. If UTF-8 then writes exactly one byte per
 * character, every character was ASCII and the prefixes are right; otherwise returns undefined (and the caller
 * encodes field by field, overwriting these bytes).
 */
function encodeAsciiInto(
  start: number,
  typeTag: string,
  kinds: readonly FieldKind[],
  values: readonly FieldValue[],
): number | undefined {
  if (typeTag.length >= 128) return undefined;
  let text = (SHORT_PREFIXES[typeTag.length] as string) + typeTag;
  for (let i = 0; i < kinds.length; i++) {
    const value = values[i] ?? null;
    if (value === null) {
      text += NULL_FIELD;
      continue;
    }
    const kind = kinds[i] as FieldKind;
    let fieldText: string;
    if (kind === 'text' && typeof value === 'string' && value.length > 0) {
      fieldText = value;
    } else {
      const encoded = canonicalText(kind, value);
      if ('problem' in encoded) throw new TypeError(`canonical encoding: ${encoded.problem}`);
      fieldText = encoded.text;
    }
    if (fieldText.length >= 128) return undefined;
    text += (SHORT_PREFIXES[fieldText.length] as string) + fieldText;
  }
  reserve(start, text.length * 3);
  const written = scratch.write(text, start, 'utf8');
  return written === text.length ? start + written : undefined;
}

function encodeFieldsInto(
  start: number,
  typeTag: string,
  kinds: readonly FieldKind[],
  values: readonly FieldValue[],
): number {
  let at = writeField(typeTag, start);
  for (let i = 0; i < kinds.length; i++) {
    const value = values[i] ?? null;
    const kind = kinds[i] as FieldKind;
    if (value === null) {
      at = reserve(at, 1);
      scratch[at++] = 0x00;
    } else if (kind === 'text' && typeof value === 'string' && value.length > 0) {
      at = writeField(value, at);
    } else {
      const encoded = canonicalText(kind, value);
      if ('problem' in encoded) throw new TypeError(`canonical encoding: ${encoded.problem}`);
      at = writeField(encoded.text, at);
    }
  }
  return at;
}

function writeField(text: string, at: number): number {
  const at2 = reserve(at, 5 + text.length * 3);
  const length = scratch.write(text, at2 + 5, 'utf8');
  scratch[at2] = 0x01;
  scratch.writeUInt32BE(length, at2 + 1);
  return at2 + 5 + length;
}

/** Grows the scratch buffer so `extra` more bytes fit after `at`; returns `at`. */
function reserve(at: number, extra: number): number {
  if (at + extra > scratch.length) {
    const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, at + extra));
    scratch.copy(bigger, 0, 0, at);
    scratch = bigger;
  }
  return at;
}

/** row_hash = SHA-256(prev_hash raw bytes ‖ canonical bytes), lowercase hex. */
export function chainHash(prevHashHex: string, canonical: Uint8Array): string {
  return createHash('sha256').update(Buffer.from(prevHashHex, 'hex')).update(canonical).digest('hex');
}

let lastValidTimestamp = '';

export function isIsoTimestamp(value: string): boolean {
  if (value === lastValidTimestamp) return true; // consecutive records mostly share their millisecond
  if (!TIME_PATTERN.test(value)) return false;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString() !== value) return false;
  lastValidTimestamp = value;
  return true;
}

export function isIsoDate(value: string): boolean {
  return DATE_PATTERN.test(value) && isIsoTimestamp(`${value}T00:00:00.000Z`);
}

export function isHash(value: unknown): value is string {
  return typeof value === 'string' && HASH_PATTERN.test(value);
}

/** Rounds to 3 decimals the way the store records policy figures (zxcvbn log10 guesses, entropy bits). */
export function roundTo3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function describe(value: FieldValue | bigint | Uint8Array): string {
  if (typeof value === 'string')
    return value.length > 40 ? `text of ${value.length} characters` : `"${value}"`;
  if (value instanceof Uint8Array) return `a blob of ${value.length} bytes`;
  return String(value);
}
