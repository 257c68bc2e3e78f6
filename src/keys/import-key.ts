/**
 * Reading a key to import (`keys import`): kept in escrow or moved from another system, as 64 hex digits or as a
 * raw 32-byte file. Errors name the file and what was expected, never the bytes.
 */
import { readFileSync } from 'node:fs';
import { usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';
import { SECRET_BYTES } from './key-identity.js';

function readInput(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw usageError('KEY_IMPORT_READ', `cannot read ${path}: ${fsErrorText(error)}`, error);
  }
}

/**
 * Parses 64 hex digits (either case); whitespace at the start and end (e.g. a trailing newline) is ignored.
 * The caller zeroes the result.
 *
 * @example
 * parseHexKey('000102…1f\n', 'escrow.txt'); // Uint8Array(32)
 */
export function parseHexKey(text: Buffer, source: string): Uint8Array {
  const start = text.findIndex((b) => !isSpace(b));
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1] ?? 0)) end--;
  const digits = start < 0 ? text.subarray(0, 0) : text.subarray(start, end);
  if (digits.length !== SECRET_BYTES * 2) {
    throw usageError(
      'KEY_IMPORT_HEX',
      `${source}: expected ${SECRET_BYTES * 2} hex digits, got ${digits.length} characters`,
    );
  }
  const bad = digits.findIndex((b) => !isHexDigit(b));
  if (bad >= 0) {
    throw usageError(
      'KEY_IMPORT_HEX',
      `${source}: expected hex digits 0-9 a-f, found another character at offset ${start + bad}`,
    );
  }
  const key = new Uint8Array(SECRET_BYTES);
  for (let i = 0; i < SECRET_BYTES; i++)
    key[i] = (hexValue(digits[2 * i] ?? 0) << 4) | hexValue(digits[2 * i + 1] ?? 0);
  return key;
}

/** Checks that a raw key file holds exactly 32 bytes. The caller zeroes the result. */
export function parseRawKey(bytes: Buffer, source: string): Uint8Array {
  if (bytes.length !== SECRET_BYTES) {
    throw usageError(
      'KEY_IMPORT_RAW',
      `${source}: expected exactly ${SECRET_BYTES} bytes, got ${bytes.length}`,
    );
  }
  return new Uint8Array(bytes);
}

/** Reads and parses a hex key file; the file's bytes are zeroed after parsing. */
export function readHexKeyFile(path: string): Uint8Array {
  const bytes = readInput(path);
  try {
    return parseHexKey(bytes, path);
  } finally {
    bytes.fill(0);
  }
}

/** Reads a raw 32-byte key file; the read buffer is zeroed after copying. */
export function readRawKeyFile(path: string): Uint8Array {
  const bytes = readInput(path);
  try {
    return parseRawKey(bytes, path);
  } finally {
    bytes.fill(0);
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function isHexDigit(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

function hexValue(b: number): number {
  if (b <= 0x39) return b - 0x30;
  return (b | 0x20) - 0x61 + 10;
}
