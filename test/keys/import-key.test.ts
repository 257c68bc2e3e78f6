import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredlineError } from '../../src/errors/credline-error.js';
import { parseHexKey, parseRawKey, readHexKeyFile, readRawKeyFile } from '../../src/keys/import-key.js';
import { makeTempDir } from './fixtures.js';

const KEY_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

function refusal(run: () => unknown): CredlineError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CredlineError);
    return error as CredlineError;
  }
  throw new Error('expected a refusal');
}

describe('parseHexKey', () => {
  it('reads 64 hex digits in either case, with whitespace at the ends', () => {
    for (const text of [KEY_HEX, `${KEY_HEX}\n`, `  ${KEY_HEX.toUpperCase()}\r\n`, `\t${KEY_HEX}\n\n`]) {
      expect(Buffer.from(parseHexKey(Buffer.from(text), 'f')).toString('hex')).toBe(KEY_HEX);
    }
  });

  it('refuses the wrong length, non-hex characters and inner whitespace, without echoing the input', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /^f: expected 64 hex digits, got 0 characters$/],
      [KEY_HEX.slice(0, 62), /got 62 characters/],
      [`${KEY_HEX}00`, /got 66 characters/],
      [`${KEY_HEX.slice(0, 63)}g`, /^f: expected hex digits 0-9 a-f, found another character at offset 63$/],
      [`0x${KEY_HEX.slice(2)}`, /offset 1/],
      [`${KEY_HEX.slice(0, 32)} ${KEY_HEX.slice(33)}`, /offset 32/],
    ];
    for (const [text, expected] of cases) {
      const e = refusal(() => parseHexKey(Buffer.from(text), 'f'));
      expect(e.code).toBe('KEY_IMPORT_HEX');
      expect(e.message).toMatch(expected);
      expect(e.message).not.toContain(KEY_HEX.slice(0, 16));
    }
  });
});

describe('parseRawKey and the file readers', () => {
  it('takes exactly 32 bytes', () => {
    const raw = Buffer.from(KEY_HEX, 'hex');
    expect(Buffer.from(parseRawKey(raw, 'f')).equals(raw)).toBe(true);
    expect(refusal(() => parseRawKey(raw.subarray(0, 31), 'f')).message).toBe(
      'f: expected exactly 32 bytes, got 31',
    );
    // A hex file given as --raw-file is 64 or 65 bytes, and is refused.
    expect(refusal(() => parseRawKey(Buffer.from(`${KEY_HEX}\n`), 'f')).code).toBe('KEY_IMPORT_RAW');
  });

  it('reads from files and names a missing one', () => {
    const dir = makeTempDir('import');
    writeFileSync(join(dir, 'k.hex'), `${KEY_HEX}\n`);
    writeFileSync(join(dir, 'k.bin'), Buffer.from(KEY_HEX, 'hex'));
    expect(Buffer.from(readHexKeyFile(join(dir, 'k.hex'))).toString('hex')).toBe(KEY_HEX);
    expect(Buffer.from(readRawKeyFile(join(dir, 'k.bin'))).toString('hex')).toBe(KEY_HEX);
    const e = refusal(() => readRawKeyFile(join(dir, 'missing.bin')));
    expect(e.code).toBe('KEY_IMPORT_READ');
    expect(e.message).toMatch(/missing\.bin: no such file or directory$/);
  });
});
