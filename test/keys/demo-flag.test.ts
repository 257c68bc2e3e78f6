/**
 * The demo flag: a key file can be marked at creation (`keys create --demo`) as a key for training benches and
 * demos. The flag is authenticated like the rest of the header (it can be neither removed nor added without the
 * passphrase), files from before it still open, and `keys info` says which keys are test keys.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredlineError } from '../../src/errors/credline-error.js';
import { createKeyFile, openKeyFile, readKeyFileHeader, testKeyReason } from '../../src/keys/index.js';
import { FIXTURES, makeTempDir } from './fixtures.js';
import { independentlyUnseal } from './independent-unseal.js';
import { runCli } from './run-keys-cli.js';

const PASSPHRASE = 'demo bench passphrase';
const TEST_VECTOR_KEY = join(FIXTURES, 'test-vector-line-key.ckey');

async function unsealError(path: string, passphrase: string): Promise<string> {
  try {
    (await openKeyFile(path, passphrase)).secret.fill(0);
  } catch (error) {
    if (error instanceof CredlineError) return error.code;
    throw error;
  }
  return 'opened';
}

describe('the demo flag', () => {
  it('is written at creation, authenticated, and read back; removing or adding it breaks the seal', async () => {
    const dir = makeTempDir('demo');
    const file = join(dir, 'demo.ckey');
    const header = await createKeyFile(file, { kind: 'line', passphrase: PASSPHRASE, demo: true });
    expect(header.demo).toBe(true);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(doc['demo']).toBe(true);
    expect(readKeyFileHeader(file).demo).toBe(true);
    expect(await unsealError(file, PASSPHRASE)).toBe('opened');
    expect(independentlyUnseal(file, PASSPHRASE)).toHaveLength(32);
    expect(testKeyReason(header)).toBe(`key ${header.keyId} is marked as a demo key (keys create --demo)`);

    const stripped = join(dir, 'stripped.ckey');
    const withoutFlag = { ...doc };
    delete withoutFlag['demo'];
    writeFileSync(stripped, JSON.stringify(withoutFlag));
    expect(await unsealError(stripped, PASSPHRASE)).toBe('KEY_UNSEAL_FAILED');

    const plain = join(dir, 'plain.ckey');
    await createKeyFile(plain, { kind: 'line', passphrase: PASSPHRASE });
    const flagged = join(dir, 'flagged.ckey');
    writeFileSync(flagged, JSON.stringify({ ...JSON.parse(readFileSync(plain, 'utf8')), demo: true }));
    expect(await unsealError(flagged, PASSPHRASE)).toBe('KEY_UNSEAL_FAILED');

    const falsy = join(dir, 'false.ckey');
    writeFileSync(falsy, JSON.stringify({ ...withoutFlag, demo: false }));
    expect(() => readKeyFileHeader(falsy)).toThrow(/field "demo" must be true when present, got false/);
  });

  it('leaves files from before the flag as they were: they open, and are not demo keys', async () => {
    const header = readKeyFileHeader(TEST_VECTOR_KEY);
    expect(header.demo).toBeUndefined();
    const passphrase = readFileSync(join(FIXTURES, 'test-vector-passphrase.txt'), 'utf8').replace(/\n$/, '');
    expect(await unsealError(TEST_VECTOR_KEY, passphrase)).toBe('opened');
    expect(testKeyReason(header)).toBe(
      'd9c183eb84616abf is the published test-vector key: anyone can derive its passwords',
    );
  });

  it('keys create --demo marks the file; keys info names test keys', () => {
    const dir = makeTempDir('demo-cli');
    const pass = join(dir, 'pass.txt');
    writeFileSync(pass, `${PASSPHRASE}\n`, { mode: 0o600 });
    const file = join(dir, 'bench.ckey');
    const created = runCli(['keys', 'create', '--out', file, '--demo', '--passphrase-file', pass]);
    expect(created.status).toBe(0);
    const info = runCli(['keys', 'info', file]);
    expect(info.stdout).toContain(
      'test key:   yes: key ' +
        `${readKeyFileHeader(file).keyId} is marked as a demo key (keys create --demo); credline provision refuses it unless --allow-test-key\n`,
    );
    expect(runCli(['keys', 'info', TEST_VECTOR_KEY]).stdout).toContain(
      'test key:   yes: d9c183eb84616abf is the published test-vector key',
    );
  });
});
