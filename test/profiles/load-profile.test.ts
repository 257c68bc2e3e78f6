import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { checkProfile } from '../../src/profiles/check-profile.js';
import { listShippedProfilePaths, loadProfile, readProfileJson } from '../../src/profiles/load-profile.js';
import { deviceProfileSchema } from '../../src/profiles/profile-schema.js';
import { CredlineError } from '../../src/errors/credline-error.js';

// Profiles are edited freely in these tests, so their JSON is loosely typed on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const shipped = listShippedProfilePaths();
const agent = readProfileJson(shipped.find((p) => p.endsWith('/credline-agent.json')) ?? '') as Record<
  string,
  unknown
>;

function withChange(change: (p: Json) => void): Record<string, unknown> {
  const copy = structuredClone(agent) as Json;
  change(copy);
  return copy;
}

function issuesOf(json: unknown): string[] {
  const r = checkProfile(json, 'x.json');
  return r.issues ? r.issues.map((i) => `${i.path}: ${i.message}`) : [];
}

describe('shipped profiles', () => {
  it('ships credline-agent and u-boot, and every shipped profile loads', () => {
    const ids = shipped.map((p) => loadProfile(p).profile.id);
    expect(ids).toEqual(expect.arrayContaining(['credline-agent', 'u-boot']));
  });

  it('the schema file on disk is the one the validator uses, and plain ajv agrees on each shipped profile', () => {
    const onDisk = JSON.parse(
      readFileSync(join(__dirname, '../../device-profiles/device-profile.schema.json'), 'utf8'),
    );
    expect(deviceProfileSchema).toEqual(onDisk);
    const validate = new Ajv({ allErrors: true, discriminator: true, strict: false }).compile(onDisk);
    for (const path of shipped) expect(validate(readProfileJson(path)), path).toBe(true);
  });

  it('hashes the canonical profile: layout and $schema do not matter, content does', () => {
    const a = checkProfile(agent, 'a');
    const relaid = JSON.parse(JSON.stringify(agent, null, 7)) as Record<string, unknown>;
    delete relaid['$schema'];
    const b = checkProfile(relaid, 'b');
    const c = checkProfile(
      withChange((p) => (p['revision'] = 2)),
      'c',
    );
    if (a.issues || b.issues || c.issues) throw new Error('expected valid');
    expect(a.loaded.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.loaded.hash).toBe(a.loaded.hash);
    expect(c.loaded.hash).not.toBe(a.loaded.hash);
  });
});

describe('profile validation: precise errors', () => {
  const table: Array<[string, (p: Json) => void, string]> = [
    ['unknown top-level key', (p) => (p['colour'] = 'red'), '$: unknown key "colour"'],
    [
      'unknown nested key',
      (p) => (p.dialogue.write[0].sendd = 'x'),
      '$.dialogue.write[0]: unknown key "sendd"',
    ],
    ['missing key', (p) => delete p.product.model, '$.product: missing required key "model"'],
    [
      'wrong enum',
      (p) => (p.serialPort.parity = 'mark'),
      '$.serialPort.parity: expected one of "none", "even", "odd"',
    ],
    ['bad id', (p) => (p.id = 'Bad Id'), '$.id: expected a string matching'],
    [
      'unknown store kind',
      (p) => (p.store = { kind: 'md5' }),
      '$.store.kind: expected one of "plaintext", "pbkdf2-sha256"',
    ],
    [
      'plaintext without why',
      (p) => (p.store = { kind: 'plaintext' }),
      '$.store: missing required key "why"',
    ],
    [
      'bad regex',
      (p) => (p.identity.serial.pattern = '(['),
      '$.identity.serial.pattern: expected a valid regular expression',
    ],
    [
      'no serial capture',
      (p) => (p.dialogue.identify[0].expect = '^OK$'),
      '$.dialogue.identify: expected a step whose expect regex captures (?<serial>...)',
    ],
    [
      'unknown placeholder',
      (p) => (p.dialogue.write[0].send = 'SETVER {{password}}'),
      '$.dialogue.write[0].send: unknown placeholder {{password}}',
    ],
    [
      'readback capture missing',
      (p) => (p.dialogue.verify.readback.capture = 'hash'),
      '$.dialogue.verify.readback.capture',
    ],
    [
      'weak policy',
      (p) => (p.passwordPolicy = { alphabet: 'digits', length: 12, minEntropyBits: 48, minZxcvbnScore: 0 }),
      '$.passwordPolicy.minEntropyBits: password policy gives 39.9 bits',
    ],
    [
      'entropy floor in profile',
      (p) => (p.passwordPolicy.minEntropyBits = 80),
      '$.passwordPolicy.minEntropyBits',
    ],
    [
      'alphabet with a repeat',
      (p) => (p.passwordPolicy.alphabet = 'abcdefghijklmnopqrstuvwxyza'),
      '$.passwordPolicy.alphabet: alphabet repeats',
    ],
    [
      'step without expect on a promptless console',
      (p) => delete p.dialogue.commit[0].expect,
      '$.dialogue.commit[0].expect: expected a regex',
    ],
  ];
  for (const [name, change, expected] of table) {
    it(`refuses: ${name}`, () => {
      const issues = issuesOf(withChange(change));
      expect(issues.join('\n')).toContain(expected);
    });
  }

  it('loadProfile names the file, the JSON path and what was expected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-profile-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(withChange((p) => (p.dialogue.lock[0].retries = 'twice'))));
    expect(() => loadProfile(file)).toThrow(CredlineError);
    expect(() => loadProfile(file)).toThrow(`${file}: $.dialogue.lock[0].retries: expected integer`);
    writeFileSync(file, '{\n  "id": "x",\n  oops\n}');
    expect(() => loadProfile(file)).toThrow(new RegExp(`${file}:3:\\d+: not valid JSON`));
  });
});

describe('console safety', () => {
  const uboot = readProfileJson(shipped.find((p) => p.endsWith('/u-boot.json')) ?? '') as Json;
  it("refuses an alphabet with a character the console interprets and quoting cannot protect (U-Boot: ')", () => {
    const p = structuredClone(uboot);
    p.passwordPolicy.alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'";
    expect(issuesOf(p).join('\n')).toContain(`$.passwordPolicy.alphabet: the alphabet holds "'"`);
  });
  it('allows ; and $ inside single quotes, refuses them without quoting', () => {
    const p = structuredClone(uboot);
    p.passwordPolicy.alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789;$';
    expect(issuesOf(p)).toEqual([]);
    p.console.quoting = 'none';
    expect(issuesOf(p).join('\n')).toContain('the alphabet holds ";" "$"');
  });
  it('checks the verifier text against the console too', () => {
    const p = withChange((q) => (q.console = { interprets: ':', quoting: 'none' }));
    expect(issuesOf(p).join('\n')).toContain('$.store.kind: the verifier text uses ":"');
  });
});
