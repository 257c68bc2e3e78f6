import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyId } from '../../src/derive/key-id.js';
import { changeKeyPassphrase } from '../../src/keys/change-passphrase.js';
import {
  type KeyFileHeader,
  createKeyFile,
  openKeyFile,
  readKeyFileHeader,
} from '../../src/keys/key-file.js';
import { makeTempDir, readJson } from './fixtures.js';

const OLD = 'the old passphrase';
const NEW = 'the new passphrase';
const SECRET = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);

let dir: string;
let path: string;
let before: KeyFileHeader;
let beforeText: string;

beforeAll(async () => {
  dir = makeTempDir('passwd');
  path = join(dir, 'line.ckey');
  before = await createKeyFile(path, { kind: 'line', passphrase: OLD, label: 'Line 1', secret: SECRET });
  beforeText = readFileSync(path, 'utf8');
});

describe('createKeyFile with a given secret (import)', () => {
  it("names it by keyId(secret) and leaves the caller's copy alone", () => {
    expect(before.keyId).toBe(keyId(SECRET));
    expect(SECRET[0]).toBe(200);
  });
});

describe('changeKeyPassphrase', () => {
  it('leaves the file untouched when the old passphrase is wrong or the new one too short', async () => {
    await expect(changeKeyPassphrase(path, 'not the old one', NEW)).rejects.toMatchObject({
      code: 'KEY_UNSEAL_FAILED',
    });
    await expect(changeKeyPassphrase(path, OLD, 'short')).rejects.toMatchObject({
      code: 'PASSPHRASE_TOO_SHORT',
    });
    expect(readFileSync(path, 'utf8')).toBe(beforeText);
  });

  it('keeps the key, key id, label and creation time; new salt and nonce; the old passphrase stops working', async () => {
    const after = await changeKeyPassphrase(path, OLD, NEW);
    expect(after).toEqual({ ...before, kdf: { ...before.kdf, salt: after.kdf.salt } });
    expect(after.kdf.salt).not.toBe(before.kdf.salt);
    expect(readKeyFileHeader(path)).toEqual(after);
    const sealedBefore = (JSON.parse(beforeText) as { sealed: { nonce: string } }).sealed;
    expect((readJson(path)['sealed'] as { nonce: string }).nonce).not.toBe(sealedBefore.nonce);

    const opened = await openKeyFile(path, NEW);
    expect(Buffer.from(opened.secret).equals(Buffer.from(SECRET))).toBe(true);
    await expect(openKeyFile(path, OLD)).rejects.toMatchObject({ code: 'KEY_UNSEAL_FAILED' });

    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['line.ckey']);
  });
});
