import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyId } from '../../src/derive/key-id.js';
import { CredlineError } from '../../src/errors/credline-error.js';
import { encodeHeaderAad } from '../../src/keys/header-aad.js';
import { deriveKeyEncryptionKey } from '../../src/keys/kdf.js';
import { parseKeyFileText } from '../../src/keys/key-file-format.js';
import {
  type KeyFileHeader,
  createKeyFile,
  openKeyFile,
  readKeyFileHeader,
  writeSealedKeyFile,
} from '../../src/keys/key-file.js';
import { stationKeyId } from '../../src/keys/key-identity.js';
import { unsealSecret } from '../../src/keys/seal.js';
import {
  RFC8032_TEST1_PUBLIC,
  RFC8032_TEST1_SEED,
  STATION_FIXTURE,
  STATION_FIXTURE_PASSPHRASE,
  flipHex,
  makeTempDir,
  readJson,
  withField,
} from './fixtures.js';
import { independentlyUnseal } from './independent-unseal.js';

const PASSPHRASE = 'line key test passphrase';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

async function codeOf(work: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    expect(error).toBeInstanceOf(CredlineError);
    expect((error as CredlineError).exitCode).toBe(2);
    expect((error as CredlineError).message).not.toMatch(/\n/);
    return (error as CredlineError).code;
  }
  throw new Error('expected a CredlineError');
}

let dir: string;
let linePath: string;
let stationPath: string;
let lineHeader: KeyFileHeader;
/** The wall clock just before and just after the line key was created (its creation time lies between). */
let createdFrom: number;
let createdUntil: number;
let stationHeader: KeyFileHeader;

beforeAll(async () => {
  dir = makeTempDir('file');
  linePath = join(dir, 'line.ckey');
  stationPath = join(dir, 'station.ckey');
  createdFrom = Date.now();
  lineHeader = await createKeyFile(linePath, { kind: 'line', passphrase: PASSPHRASE, label: 'Line 3' });
  createdUntil = Date.now();
  stationHeader = await createKeyFile(stationPath, { kind: 'station', passphrase: PASSPHRASE });
});

describe('createKeyFile and openKeyFile', () => {
  it('round-trips a line key whose header key id is keyId(secret) from src/derive', async () => {
    const { header, secret } = await openKeyFile(linePath, PASSPHRASE);
    expect(secret).toHaveLength(32);
    expect(header).toEqual(lineHeader);
    expect(readKeyFileHeader(linePath)).toEqual(lineHeader);
    expect(header.keyId).toBe(keyId(secret));
    expect(header).toMatchObject({ format: 'credline-key', version: 1, kind: 'line', label: 'Line 3' });
    expect(header.publicKey).toBeUndefined();
    expect(header.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    expect(header.kdf.salt).toMatch(/^[0-9a-f]{32}$/);
    // createdAt has whole milliseconds: within the interval the creation call took.
    expect(Date.parse(header.createdAt)).toBeGreaterThanOrEqual(createdFrom);
    expect(Date.parse(header.createdAt)).toBeLessThanOrEqual(createdUntil);
    // Nothing secret in the file: not the key in hex or base64.
    const text = readFileSync(linePath, 'utf8');
    expect(text).not.toContain(hex(secret));
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  });

  it('round-trips a station key: the seed signs, the header holds its public key and id', async () => {
    const { header, secret } = await openKeyFile(stationPath, PASSPHRASE);
    expect(header).toEqual(stationHeader);
    expect(header.publicKey).toBe(hex(ed25519.getPublicKey(secret)));
    expect(header.keyId).toBe(hex(sha256(Buffer.from(header.publicKey ?? '', 'hex'))).slice(0, 16));
    const message = new TextEncoder().encode('chain head');
    const signature = ed25519.sign(message, secret);
    expect(ed25519.verify(signature, message, Buffer.from(header.publicKey ?? '', 'hex'))).toBe(true);
  });

  it('writes mode 0600 and leaves no temporary file behind', () => {
    for (const path of [linePath, stationPath]) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['line.ckey', 'station.ckey']);
  });

  it('seals every key under a fresh salt and nonce', () => {
    const a = readJson(linePath);
    const b = readJson(stationPath);
    expect((a['kdf'] as { salt: string }).salt).not.toBe((b['kdf'] as { salt: string }).salt);
    expect((a['sealed'] as { nonce: string }).nonce).not.toBe((b['sealed'] as { nonce: string }).nonce);
  });

  it('never overwrites without force, and replaces atomically with it', async () => {
    const before = readFileSync(linePath);
    expect(await codeOf(createKeyFile(linePath, { kind: 'line', passphrase: PASSPHRASE }))).toBe(
      'KEY_FILE_EXISTS',
    );
    expect(readFileSync(linePath).equals(before)).toBe(true);

    const target = join(dir, 'replace.ckey');
    writeFileSync(target, 'old contents', { mode: 0o644 });
    const header = await createKeyFile(target, { kind: 'line', passphrase: PASSPHRASE, force: true });
    expect(readKeyFileHeader(target)).toEqual(header);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses bad options before doing any work, and writes nothing', async () => {
    const out = join(dir, 'never.ckey');
    expect(await codeOf(createKeyFile(out, { kind: 'line', passphrase: 'short' }))).toBe(
      'PASSPHRASE_TOO_SHORT',
    );
    expect(await codeOf(createKeyFile(out, { kind: 'line', passphrase: PASSPHRASE, label: 'a\nb' }))).toBe(
      'KEY_LABEL',
    );
    expect(
      await codeOf(createKeyFile(out, { kind: 'line', passphrase: PASSPHRASE, kdf: { N: 2 ** 16 } })),
    ).toBe('KEY_KDF_PARAMS');
    expect(
      await codeOf(createKeyFile(out, { kind: 'line', passphrase: PASSPHRASE, secret: new Uint8Array(31) })),
    ).toBe('KEY_SECRET_LENGTH');
    expect(
      await codeOf(
        createKeyFile(join(dir, 'no-such-dir', 'k.ckey'), { kind: 'line', passphrase: PASSPHRASE }),
      ),
    ).toBe('KEY_OUT_DIR');
    mkdirSync(join(dir, 'a-directory'));
    expect(
      await codeOf(createKeyFile(join(dir, 'a-directory'), { kind: 'line', passphrase: PASSPHRASE })),
    ).toBe('KEY_OUT_DIR');
    expect(readdirSync(dir).filter((f) => f.startsWith('never') || f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('passphrase bytes', () => {
  it('treats composed and decomposed accents as the same passphrase (NFC)', async () => {
    const path = join(dir, 'accents.ckey');
    await createKeyFile(path, { kind: 'line', passphrase: 'caf\u00e9 cr\u00e8me br\u00fbl\u00e9e' });
    const { secret } = await openKeyFile(path, 'cafe\u0301 cre\u0300me bru\u0302le\u0301e');
    expect(secret).toHaveLength(32);
  });
});

describe('refusing to open', () => {
  it('says "wrong passphrase, or the file was altered" for a wrong passphrase', async () => {
    await expect(openKeyFile(linePath, 'not the passphrase')).rejects.toThrow(
      new CredlineError(
        'KEY_UNSEAL_FAILED',
        `cannot unseal ${linePath}: wrong passphrase, or the file was altered`,
      ),
    );
  });

  it('refuses every header field and the sealed bytes once tampered (line key)', async () => {
    const doc = readJson(linePath);
    const kek = await deriveKeyEncryptionKey(PASSPHRASE, lineHeader.kdf);
    const attempt = (d: Record<string, unknown>): string => {
      try {
        const { header, sealed } = parseKeyFileText(JSON.stringify(d), 'f');
        unsealSecret('f', header, sealed, kek);
        return 'opened';
      } catch (error) {
        return (error as CredlineError).code;
      }
    };
    expect(attempt(doc)).toBe('opened'); // the same KEK opens the untouched file
    const sealed = doc['sealed'] as { nonce: string; ciphertext: string };
    const tampered: Array<[string, unknown]> = [
      ['format', 'credline-key2'],
      ['version', 2],
      ['kind', 'station'],
      ['keyId', flipHex(lineHeader.keyId)],
      ['label', 'Line 4'],
      ['label', ''],
      ['createdAt', '2020-01-01T00:00:00.000Z'],
      ['publicKey', RFC8032_TEST1_PUBLIC],
      ['kdf.N', 2 ** 18],
      ['kdf.r', 9],
      ['kdf.p', 2],
      ['kdf.salt', flipHex(lineHeader.kdf.salt)],
      ['sealed.nonce', flipHex(sealed.nonce)],
      ['sealed.ciphertext', `ff${sealed.ciphertext.slice(2)}`],
      ['sealed.ciphertext', flipHex(sealed.ciphertext)], // the tag
    ];
    for (const [field, value] of tampered) {
      expect(attempt(withField(doc, field, value)), `${field} = ${String(value)}`).toMatch(
        /^(KEY_UNSEAL_FAILED|KEY_FILE_CORRUPT|KEY_FILE_FORMAT|KEY_FILE_VERSION)$/,
      );
    }
    kek.fill(0);
  });

  it('refuses a station key whose public key and key id were swapped together', async () => {
    const doc = readJson(stationPath);
    const kek = await deriveKeyEncryptionKey(PASSPHRASE, stationHeader.kdf);
    const swapped = withField(
      withField(doc, 'publicKey', RFC8032_TEST1_PUBLIC),
      'keyId',
      stationKeyId(RFC8032_TEST1_PUBLIC),
    );
    const { header, sealed } = parseKeyFileText(JSON.stringify(swapped), 'f'); // consistent in public...
    expect(await codeOf(() => unsealSecret('f', header, sealed, kek))).toBe('KEY_UNSEAL_FAILED'); // ...not sealed
    const original = parseKeyFileText(JSON.stringify(doc), 'f');
    expect(unsealSecret('f', original.header, original.sealed, kek)).toHaveLength(32);
    kek.fill(0);
  });

  it('refuses a tampered file on disk through openKeyFile', async () => {
    const path = join(dir, 'tampered.ckey');
    writeFileSync(path, JSON.stringify(withField(readJson(linePath), 'label', 'Line 9')));
    expect(await codeOf(openKeyFile(path, PASSPHRASE))).toBe('KEY_UNSEAL_FAILED');
  });

  it('refuses a file whose sealed secret is not the key its header names', async () => {
    const path = join(dir, 'mismatch.ckey');
    const secret = Uint8Array.from({ length: 32 }, (_, i) => 100 + i);
    await writeSealedKeyFile(path, { ...lineHeader, keyId: '0000000000000000' }, secret, PASSPHRASE, false);
    await expect(openKeyFile(path, PASSPHRASE)).rejects.toMatchObject({ code: 'KEY_ID_MISMATCH' });
  });

  it('refuses weak scrypt parameters from the header alone, before asking scrypt for anything', async () => {
    const path = join(dir, 'weak.ckey');
    writeFileSync(path, JSON.stringify(withField(readJson(linePath), 'kdf.N', 1024)));
    expect(await codeOf(() => readKeyFileHeader(path))).toBe('KEY_FILE_KDF');
    expect(await codeOf(openKeyFile(path, PASSPHRASE))).toBe('KEY_FILE_KDF');
  });

  it('names a missing, truncated, oversized or binary file', async () => {
    expect(await codeOf(() => readKeyFileHeader(join(dir, 'missing.ckey')))).toBe('KEY_FILE_READ');
    expect(await codeOf(() => readKeyFileHeader(dir))).toBe('KEY_FILE_READ');
    const truncated = join(dir, 'truncated.ckey');
    writeFileSync(truncated, readFileSync(linePath).subarray(0, 200));
    await expect(openKeyFile(truncated, PASSPHRASE)).rejects.toThrow(
      /truncated\.ckey: the key file is truncated/,
    );
    const big = join(dir, 'big.ckey');
    writeFileSync(big, Buffer.alloc(65 * 1024, 0x20));
    expect(await codeOf(() => readKeyFileHeader(big))).toBe('KEY_FILE_CORRUPT');
    const binary = join(dir, 'binary.ckey');
    writeFileSync(binary, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await expect(openKeyFile(binary, PASSPHRASE)).rejects.toThrow(
      /binary\.ckey: not a credline key file \(not UTF-8/,
    );
  });
});

describe('the committed station fixture', () => {
  it('opens to the RFC 8032 test 1 seed, with credline and with an independent implementation', async () => {
    const { header, secret } = await openKeyFile(STATION_FIXTURE, STATION_FIXTURE_PASSPHRASE);
    expect(hex(secret)).toBe(RFC8032_TEST1_SEED);
    expect(header.publicKey).toBe(RFC8032_TEST1_PUBLIC);
    expect(hex(independentlyUnseal(STATION_FIXTURE, STATION_FIXTURE_PASSPHRASE))).toBe(RFC8032_TEST1_SEED);
    expect(() => independentlyUnseal(STATION_FIXTURE, 'wrong')).toThrow();
  });

  it('gives the intermediate values docs/keystore.md publishes', async () => {
    const header = readKeyFileHeader(STATION_FIXTURE);
    expect(hex(sha256(encodeHeaderAad(header)))).toBe(
      '7f525155e32dbf987e544063f904eb66a4741b5742e1ae073f61e9c699286334',
    );
    const kek = await deriveKeyEncryptionKey(STATION_FIXTURE_PASSPHRASE, header.kdf);
    expect(hex(kek)).toBe('acc4c1a0296d7a8183437269a0c3deda5ac051bfcda5c5aff74a5b4351af81b1');
  });
});
