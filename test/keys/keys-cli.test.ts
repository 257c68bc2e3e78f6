import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readKeyFileHeader } from '../../src/keys/key-file.js';
import { makeTempDir } from './fixtures.js';
import { type CliRun, allOutput, runCli } from './run-keys-cli.js';

const FILE_PASSPHRASE = 'cli file passphrase';
const ENV_PASSPHRASE = 'cli env passphrase';
const NEW_PASSPHRASE = 'cli new passphrase';
const ENV = {
  CREDLINE_TEST_PASS: ENV_PASSPHRASE,
  CREDLINE_TEST_NEW: NEW_PASSPHRASE,
  CREDLINE_SHORT: 'seven77',
};
const KEY_HEX = 'a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf';

let dir: string;
let passFile: string;
let hexFile: string;
let rawFile: string;

/** A failure: exit 2, nothing on stdout, exactly one line on stderr matching `message`. */
function expectOneLineError(r: CliRun, message: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^credline: /);
  expect(r.stderr).toMatch(message);
}

function expectOk(r: CliRun): void {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

beforeAll(() => {
  dir = makeTempDir('cli');
  passFile = join(dir, 'pass.txt');
  writeFileSync(passFile, `${FILE_PASSPHRASE}\n`, { mode: 0o600 }); // one trailing newline: not part of the passphrase
  hexFile = join(dir, 'escrow.txt');
  writeFileSync(hexFile, `${KEY_HEX}\n`);
  rawFile = join(dir, 'escrow.bin');
  writeFileSync(rawFile, Buffer.from(KEY_HEX, 'hex'));
});

describe('credline keys create and info', () => {
  it('creates a line key from --passphrase-file and reports its id', () => {
    const out = join(dir, 'line.ckey');
    const r = runCli(['keys', 'create', '--out', out, '--label', 'Line 3', '--passphrase-file', passFile]);
    expectOk(r);
    const header = readKeyFileHeader(out);
    expect(r.stdout).toBe(`created line key ${header.keyId} in ${out}\n`);
    expect(header.label).toBe('Line 3');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('shows the public header without a passphrase, and proves one that opens the file', () => {
    const out = join(dir, 'line.ckey');
    const { keyId } = readKeyFileHeader(out);
    const plain = runCli(['keys', 'info', out]);
    expectOk(plain);
    expect(plain.stdout).toContain(`key id:     ${keyId}\n`);
    expect(plain.stdout).toContain(
      'label:      Line 3 (unverified until the passphrase is given: --check-passphrase)\n',
    );
    expect(plain.stdout).toContain('test key:   no\n');
    expect(plain.stdout).toContain('kdf:        scrypt N=2^17 r=8 p=1 (128 MiB), salt 16 bytes\n');
    expect(plain.stdout).toContain('passphrase: not checked');

    // The file's passphrase without its trailing newline, given through the environment, opens it.
    const checked = runCli(
      ['keys', 'info', out, '--format', 'json', '--passphrase-env', 'CREDLINE_FILE_PASS'],
      {
        CREDLINE_FILE_PASS: FILE_PASSPHRASE,
      },
    );
    expectOk(checked);
    const json = JSON.parse(checked.stdout) as Record<string, unknown>;
    const checkedText = runCli(['keys', 'info', out, '--passphrase-file', passFile]);
    expect(checkedText.stdout).toContain('label:      Line 3 (verified)\n');
    expect(json).toMatchObject({ file: out, kind: 'line', keyId, label: 'Line 3', passphraseChecked: true });
    expect(json['kdf']).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    expect(Object.keys(json).sort()).toEqual(
      ['createdAt', 'file', 'format', 'kdf', 'keyId', 'kind', 'label', 'passphraseChecked', 'version'].sort(),
    );
  });

  it('exits 2 with one line for a wrong passphrase, an existing file, a missing directory', () => {
    const out = join(dir, 'line.ckey');
    expectOneLineError(
      runCli(['keys', 'info', out, '--passphrase-env', 'CREDLINE_TEST_PASS'], ENV),
      new RegExp(`^credline: cannot unseal ${out}: wrong passphrase, or the file was altered\\n$`),
    );
    expectOneLineError(
      runCli(['keys', 'create', '--out', out, '--passphrase-file', passFile]),
      /already exists; nothing was written \(use --force to replace it\)/,
    );
    expectOneLineError(
      runCli(['keys', 'create', '--out', join(dir, 'nope', 'k.ckey'), '--passphrase-file', passFile]),
      /^credline: cannot write .*nope\/k\.ckey: directory .*nope does not exist\n$/,
    );
  });

  it('exits 2 with one line for a short, missing or unaskable passphrase, and a missing file', () => {
    expectOneLineError(
      runCli(['keys', 'create', '--out', join(dir, 'short.ckey'), '--passphrase-env', 'CREDLINE_SHORT'], ENV),
      /the new passphrase has 7 characters; use at least 8/,
    );
    expectOneLineError(
      runCli(['keys', 'create', '--out', join(dir, 'unset.ckey'), '--passphrase-env', 'CREDLINE_UNSET_VAR']),
      /environment variable CREDLINE_UNSET_VAR is not set/,
    );
    expectOneLineError(
      runCli(['keys', 'create', '--out', join(dir, 'notty.ckey')]),
      /no passphrase given and no terminal to ask on/,
    );
    expectOneLineError(runCli(['keys', 'info', join(dir, 'missing.ckey')]), /missing\.ckey: no such file/);
    expect(readdirSync(dir).sort()).toEqual(['escrow.bin', 'escrow.txt', 'line.ckey', 'pass.txt']);
  });

  it('replaces a file with --force', () => {
    const out = join(dir, 'line.ckey');
    const before = readKeyFileHeader(out).keyId;
    const r = runCli(
      ['keys', 'create', '--out', out, '--force', '--passphrase-env', 'CREDLINE_TEST_PASS'],
      ENV,
    );
    expectOk(r);
    expect(readKeyFileHeader(out).keyId).not.toBe(before);
  });

  it('creates a station signing key and shows its public key', () => {
    const out = join(dir, 'station.ckey');
    const r = runCli(['keys', 'create', '--kind', 'station', '--out', out, '--passphrase-file', passFile]);
    expectOk(r);
    const header = readKeyFileHeader(out);
    expect(r.stdout).toBe(
      `created station signing key ${header.keyId} in ${out}\npublic key ${header.publicKey ?? ''}\n`,
    );
    const info = runCli(['keys', 'info', out, '--format', 'json']);
    expect(JSON.parse(info.stdout)).toMatchObject({ kind: 'station', publicKey: header.publicKey });
  });

  it('refuses a bad --kind or --scrypt-log-n as a usage error', () => {
    const out = join(dir, 'bad.ckey');
    const kind = runCli(['keys', 'create', '--kind', 'root', '--out', out, '--passphrase-file', passFile]);
    expect(kind.status).toBe(2);
    expect(kind.stderr).toMatch(/Allowed choices are line, station/);
    const logN = runCli([
      'keys',
      'create',
      '--scrypt-log-n',
      '16',
      '--out',
      out,
      '--passphrase-file',
      passFile,
    ]);
    expect(logN.status).toBe(2);
    expect(logN.stderr).toMatch(/expected an integer 17\.\.20/);
  });
});

describe('credline keys import', () => {
  it('imports 64 hex digits and 32 raw bytes to the same key id', () => {
    const fromHex = join(dir, 'from-hex.ckey');
    const fromRaw = join(dir, 'from-raw.ckey');
    expectOk(
      runCli(['keys', 'import', '--out', fromHex, '--hex-file', hexFile, '--passphrase-file', passFile]),
    );
    const r = runCli([
      'keys',
      'import',
      '--out',
      fromRaw,
      '--raw-file',
      rawFile,
      '--passphrase-file',
      passFile,
    ]);
    expectOk(r);
    const { keyId } = readKeyFileHeader(fromHex);
    expect(readKeyFileHeader(fromRaw).keyId).toBe(keyId);
    expect(r.stdout).toBe(`imported line key ${keyId} in ${fromRaw}\n`);
  });

  it('refuses bad input with one line naming the file', () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, `${KEY_HEX.slice(0, 60)}\n`);
    const out = join(dir, 'bad-import.ckey');
    expectOneLineError(
      runCli(['keys', 'import', '--out', out, '--hex-file', bad, '--passphrase-file', passFile]),
      /bad\.txt: expected 64 hex digits, got 60 characters/,
    );
    writeFileSync(bad, `${KEY_HEX.slice(0, 63)}x`);
    expectOneLineError(
      runCli(['keys', 'import', '--out', out, '--hex-file', bad, '--passphrase-file', passFile]),
      /bad\.txt: expected hex digits 0-9 a-f/,
    );
    expectOneLineError(
      runCli(['keys', 'import', '--out', out, '--raw-file', hexFile, '--passphrase-file', passFile]),
      /escrow\.txt: expected exactly 32 bytes, got 65/,
    );
    expectOneLineError(
      runCli(['keys', 'import', '--out', out, '--passphrase-file', passFile]),
      /give the key with --hex-file F or --raw-file F/,
    );
    const both = runCli(['keys', 'import', '--out', out, '--hex-file', hexFile, '--raw-file', rawFile]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/cannot be used with/);
  });
});

describe('credline keys passwd', () => {
  it('re-seals the same key under the new passphrase; the old one stops working', () => {
    const file = join(dir, 'from-hex.ckey');
    const { keyId } = readKeyFileHeader(file);
    const r = runCli(
      ['keys', 'passwd', file, '--passphrase-file', passFile, '--new-passphrase-env', 'CREDLINE_TEST_NEW'],
      ENV,
    );
    expectOk(r);
    expect(r.stdout).toBe(`re-sealed line key ${keyId} in ${file}\n`);
    expect(readKeyFileHeader(file).keyId).toBe(keyId);
    expectOneLineError(runCli(['keys', 'info', file, '--passphrase-file', passFile]), /wrong passphrase/);
    const ok = runCli(['keys', 'info', file, '--passphrase-env', 'CREDLINE_TEST_NEW'], ENV);
    expectOk(ok);
    expect(ok.stdout).toContain('passphrase: opens this file (checked)\n');
  });

  it('refuses a wrong current passphrase and a short new one, leaving the file as it was', () => {
    const file = join(dir, 'from-raw.ckey');
    const before = readKeyFileHeader(file);
    expectOneLineError(
      runCli(
        ['keys', 'passwd', file, '--passphrase-env', 'CREDLINE_TEST_NEW', '--new-passphrase-file', passFile],
        ENV,
      ),
      /wrong passphrase/,
    );
    expectOneLineError(
      runCli(
        ['keys', 'passwd', file, '--passphrase-file', passFile, '--new-passphrase-env', 'CREDLINE_SHORT'],
        ENV,
      ),
      /use at least 8/,
    );
    expect(readKeyFileHeader(file)).toEqual(before);
  });
});

describe('help and secrecy', () => {
  it('has help with examples for every keys subcommand', () => {
    for (const sub of ['create', 'import', 'info', 'passwd']) {
      const r = runCli(['keys', sub, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain(`$ credline keys ${sub}`);
      expect(r.stdout).toContain('--passphrase-file');
    }
  });

  it('never printed a key byte or a passphrase in any run above', () => {
    expect(allOutput.length).toBeGreaterThan(30);
    const secrets = [KEY_HEX, KEY_HEX.toUpperCase(), Buffer.from(KEY_HEX, 'hex').toString('base64')];
    secrets.push(FILE_PASSPHRASE, ENV_PASSPHRASE, NEW_PASSPHRASE, 'seven77');
    for (const out of allOutput) for (const s of secrets) expect(out).not.toContain(s);
  });
});
