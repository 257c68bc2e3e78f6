/**
 * Argument checks for the store's inputs: each names the parameter and what arrived (never a secret: these fields
 * hold ids, fingerprints and hashes only). Empty optional text becomes NULL, so NULL and "" never both occur.
 */
import { isIsoDate, isIsoTimestamp } from '../chain/canonical.js';
import type { Timestamp } from '../types.js';

const MAX_TEXT_CHARS = 2000;

export function requiredText(name: string, value: unknown, maxChars = MAX_TEXT_CHARS): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`"${name}" expected non-empty text, got ${describe(value)}`);
  }
  if (value.length > maxChars)
    throw new TypeError(`"${name}" expected at most ${maxChars} characters, got ${value.length}`);
  return value;
}

export function optionalText(name: string, value: unknown, maxChars = MAX_TEXT_CHARS): string | null {
  if (value === undefined || value === null || value === '') return null;
  return requiredText(name, value, maxChars);
}

export function hexText(name: string, value: unknown, hexDigits: number): string {
  if (typeof value !== 'string' || value.length !== hexDigits || !/^[0-9a-f]+$/.test(value)) {
    throw new TypeError(`"${name}" expected ${hexDigits} lowercase hex digits, got ${describe(value)}`);
  }
  return value;
}

export function integerIn(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TypeError(`"${name}" expected an integer ${min}..${max}, got ${describe(value)}`);
  }
  return value;
}

export function optionalInteger(name: string, value: unknown, min: number, max: number): number | null {
  return value === undefined || value === null ? null : integerIn(name, value, min, max);
}

export function optionalFinite(name: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`"${name}" expected a finite number, got ${describe(value)}`);
  }
  return value;
}

/** A Date or ISO-8601 UTC string, normalised to `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export function timestamp(name: string, value: Timestamp | undefined, now: () => Date): string {
  if (value === undefined) return now().toISOString();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new TypeError(`"${name}" expected a valid Date, got Invalid Date`);
    return value.toISOString();
  }
  if (typeof value === 'string' && isIsoTimestamp(value)) return value;
  throw new TypeError(
    `"${name}" expected an ISO-8601 UTC timestamp like 2026-11-24T23:39:01.123Z, got ${describe(value)}`,
  );
}

export function isoDate(name: string, value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw new TypeError(`"${name}" expected a date YYYY-MM-DD, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `text of ${value.length} characters` : JSON.stringify(value);
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `bytes of length ${value.length}`;
  return typeof value === 'object' ? 'an object' : String(value);
}
