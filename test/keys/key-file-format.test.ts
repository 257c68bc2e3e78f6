import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CredlineError } from '../../src/errors/credline-error.js';
import { formatKeyFileText, parseKeyFileText } from '../../src/keys/key-file-format.js';
import { STATION_FIXTURE, flipHex, withField } from './fixtures.js';

const text = readFileSync(STATION_FIXTURE, 'utf8');
const doc = JSON.parse(text) as Record<string, unknown>;
const FILE = 'k.json';

function refusal(input: string): { code: string; message: string } {
  try {
    parseKeyFileText(input, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(CredlineError);
    const e = error as CredlineError;
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('\n');
    expect(e.message.startsWith(`${FILE}: `)).toBe(true);
    return { code: e.code, message: e.message };
  }
  throw new Error('expected the key file to be refused');
}

const refuseDoc = (d: unknown): { code: string; message: string } => refusal(JSON.stringify(d));

describe('parseKeyFileText', () => {
  it('reads the committed station fixture and writes it back byte for byte', () => {
    const { header, sealed } = parseKeyFileText(text, FILE);
    expect(header.kind).toBe('station');
    expect(header.keyId).toBe('21fe31dfa154a261');
    expect(sealed.nonce).toHaveLength(24);
    expect(sealed.ciphertext).toHaveLength(48);
    expect(formatKeyFileText(header, sealed)).toBe(text);
  });

  it('names an empty, truncated or non-JSON file', () => {
    expect(refusal('')).toMatchObject({ code: 'KEY_FILE_CORRUPT', message: 'k.json: the key file is empty' });
    expect(refusal(' \n')).toMatchObject({
      code: 'KEY_FILE_CORRUPT',
      message: 'k.json: the key file is empty',
    });
    for (const cut of [1, 40, text.length / 2, text.length - 3]) {
      const r = refusal(text.slice(0, cut));
      expect(r.code).toBe('KEY_FILE_CORRUPT');
      expect(r.message).toMatch(/^k\.json: the key file is truncated/);
    }
    expect(refusal('hello').message).toMatch(/^k\.json: the key file is not valid JSON/);
    expect(refusal(text.replace('"kind"', 'kind')).message).toMatch(/not valid JSON/);
  });

  it('names a file that is not a credline key file, or a version it does not read', () => {
    expect(refusal('[1,2]')).toMatchObject({ code: 'KEY_FILE_FORMAT' });
    expect(refusal('"x"')).toMatchObject({ code: 'KEY_FILE_FORMAT' });
    expect(refuseDoc(withField(doc, 'format', undefined))).toMatchObject({
      code: 'KEY_FILE_FORMAT',
      message: 'k.json: not a credline key file (no "format" field, expected "credline-key")',
    });
    expect(refuseDoc(withField(doc, 'format', 'credline-keys')).code).toBe('KEY_FILE_FORMAT');
    expect(refuseDoc(withField(doc, 'version', 2))).toMatchObject({
      code: 'KEY_FILE_VERSION',
      message: 'k.json: key file version 2 is not supported (this credline reads version 1)',
    });
    expect(refuseDoc(withField(doc, 'version', '1')).code).toBe('KEY_FILE_VERSION');
    expect(refuseDoc(withField(doc, 'version', undefined))).toMatchObject({
      code: 'KEY_FILE_CORRUPT',
      message: 'k.json: missing field "version"',
    });
  });

  it('names every missing field by its JSON path', () => {
    const fields = ['kind', 'keyId', 'label', 'createdAt', 'publicKey', 'kdf', 'kdf.name', 'kdf.N', 'kdf.r'];
    fields.push('kdf.p', 'kdf.salt', 'sealed', 'sealed.aead', 'sealed.nonce', 'sealed.ciphertext');
    for (const field of fields) {
      expect(refuseDoc(withField(doc, field, undefined)), field).toEqual({
        code: 'KEY_FILE_CORRUPT',
        message: `k.json: missing field "${field}"`,
      });
    }
  });

  it('refuses fields it does not know, at any level (nothing unauthenticated rides along)', () => {
    expect(refuseDoc(withField(doc, 'comment', 'hi')).message).toBe('k.json: unexpected field "comment"');
    expect(refuseDoc(withField(doc, 'kdf.dkLen', 64)).message).toBe('k.json: unexpected field "kdf.dkLen"');
    expect(refuseDoc(withField(doc, 'sealed.tag', 'aa')).message).toBe(
      'k.json: unexpected field "sealed.tag"',
    );
  });

  it('refuses malformed values, naming the field and what was expected', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['kind', 'root', /field "kind" must be "line" or "station" or "order", got "root"/],
      ['keyId', 'D9C183EB84616ABF', /field "keyId" must be 16 lowercase hex digits/],
      ['keyId', 12, /field "keyId" must be a string, got number/],
      ['label', 'a\u001b[2Jb', /label contains a control character/],
      ['label', 'Line \u202e3 enil', /label contains a control character/],
      ['label', 'x'.repeat(129), /label is longer than 128 characters/],
      ['createdAt', '2026-11-24 23:44:15', /field "createdAt": expected ISO-8601 UTC/],
      ['createdAt', '2026-02-30T00:00:00.000Z', /field "createdAt": expected ISO-8601 UTC/],
      ['publicKey', 'zz', /field "publicKey" must be 64 lowercase hex digits/],
      ['publicKey', flipHex(String(doc['publicKey'])), /field "keyId" does not match "publicKey"/],
      ['kdf', 'scrypt', /field "kdf" must be an object, got the string "scrypt"/],
      ['kdf.name', 'argon2id', /field "kdf.name" must be "scrypt"/],
      ['kdf.N', 131072.5, /field "kdf.N" must be an integer/],
      ['kdf.salt', 'abcd', /field "kdf.salt" must be 32 to 128 lowercase hex digits, got 4 characters/],
      ['sealed.aead', 'aes-256-gcm', /field "sealed.aead" must be "xchacha20-poly1305"/],
      ['sealed.nonce', '00'.repeat(12), /field "sealed.nonce" must be 48 lowercase hex digits/],
      ['sealed.ciphertext', '00'.repeat(32), /field "sealed.ciphertext" must be 96 lowercase hex digits/],
    ];
    for (const [field, value, expected] of cases) {
      const r = refuseDoc(withField(doc, field, value));
      expect(r.code, field).toBe('KEY_FILE_CORRUPT');
      expect(r.message, field).toMatch(expected);
    }
  });

  it('refuses a public key in a line key file', () => {
    expect(refuseDoc(withField(doc, 'kind', 'line')).message).toBe(
      'k.json: field "publicKey" is only allowed in a station or order key file',
    );
  });

  it('refuses scrypt parameters below the floor or above the caps before any work is done', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['kdf.N', 2 ** 16, /kdf\.N = 65536 is below the floor 2\^17 \(131072\)/],
      ['kdf.N', 1024, /below the floor/],
      ['kdf.N', 131071, /kdf\.N = 131071 is not a power of two/],
      ['kdf.N', 2 ** 21, /kdf\.N = 2\^21 is above the cap 2\^20/],
      ['kdf.N', 2 ** 40, /above the cap/],
      ['kdf.r', 4, /kdf\.r = 4 is outside 8\.\.32/],
      ['kdf.r', 1000, /kdf\.r = 1000 is outside/],
      ['kdf.p', 0, /kdf\.p = 0 is outside 1\.\.16/],
      ['kdf.p', 1_000_000, /kdf\.p = 1000000 is outside/],
    ];
    for (const [field, value, expected] of cases) {
      const r = refuseDoc(withField(doc, field, value));
      expect(r.code, `${field}=${value}`).toBe('KEY_FILE_KDF');
      expect(r.message).toMatch(expected);
      expect(r.message).toMatch(/refusing to open it$/);
    }
    // Within each cap alone, but too much memory or work together.
    expect(refuseDoc(withField(withField(doc, 'kdf.N', 2 ** 20), 'kdf.r', 16)).message).toMatch(/1 GiB/);
    expect(refuseDoc(withField(withField(doc, 'kdf.N', 2 ** 20), 'kdf.p', 4)).message).toMatch(/N \* r \* p/);
  });
});
