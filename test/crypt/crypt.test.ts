/**
 * crypt(3) strings: the formats' own published vectors (test/vectors/), fresh salts, refused parameters, and a
 * cross-check of random passwords against Python's crypt module (libxcrypt, what Linux's login uses).
 */
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import fc from 'fast-check';
import { encrypt, verify } from 'unixcrypt';
import { describe, expect, it } from 'vitest';
import {
  bcryptHash,
  computeCryptString,
  CRYPT_ALPHABET,
  randomCryptSalt,
  sha512Crypt,
} from '../../src/crypt/index.js';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { havePrerequisites, PYTHON3_CRYPT } from '../support/prerequisites.js';
import bcryptVectors from '../vectors/bcrypt.json' with { type: 'json' };
import shaVectors from '../vectors/sha512-crypt.json' with { type: 'json' };

/** `$6$rounds=N$salt` or `$6$salt` → rounds (default 5000) and salt (cut to 16, as the spec does). */
function parseShaSetting(setting: string): { rounds: number; salt: string } {
  const m = /^\$6\$(?:rounds=(\d+)\$)?([^$]*)/.exec(setting);
  if (!m) throw new Error(`bad setting ${setting}`);
  return { rounds: m[1] === undefined ? 5000 : Number(m[1]), salt: (m[2] ?? '').slice(0, 16) };
}

const lastField = (crypt: string): string => crypt.slice(crypt.lastIndexOf('$') + 1);

describe('SHA-512-crypt ($6$)', () => {
  it("matches every SHA-512 vector of Drepper's specification", () => {
    for (const v of shaVectors.vectors) {
      const { rounds, salt } = parseShaSetting(v.setting);
      if (rounds < 1000) {
        // The spec clamps rounds=10 to 1000; the library does too, credline refuses such a profile.
        expect(encrypt(v.password, v.setting)).toBe(v.crypt);
        expect(() => sha512Crypt(v.password, salt, rounds)).toThrow(/"rounds" expected an integer 1000/);
        continue;
      }
      const got = sha512Crypt(v.password, salt, rounds);
      expect(got).toBe(`$6$rounds=${rounds}$${salt}$${lastField(v.crypt)}`);
      if (v.setting.includes('rounds=')) expect(got).toBe(v.crypt);
    }
  });

  it('refuses rounds and salts outside the format', () => {
    expect(() => sha512Crypt('pw', 'salt', 999)).toThrow(/rounds/);
    expect(() => sha512Crypt('pw', 'salt', 1_000_000_000)).toThrow(/rounds/);
    expect(() => sha512Crypt('pw', 'salt', 5000.5)).toThrow(/rounds/);
    expect(() => sha512Crypt('pw', '', 5000)).toThrow(/salt/);
    expect(() => sha512Crypt('pw', 'a$b', 5000)).toThrow(/salt/);
    expect(() => sha512Crypt('pw', 'x'.repeat(17), 5000)).toThrow(/salt/);
  });
});

describe('bcrypt ($2b$)', () => {
  it('matches the Openwall crypt_blowfish vectors (ASCII passwords)', async () => {
    for (const v of bcryptVectors.vectors) {
      const cost = Number(v.setting.slice(4, 6));
      const salt = Uint8Array.from(bcryptjs.decodeBase64(v.setting.slice(7, 29), 16));
      const password = v.password.length > 72 ? v.password.slice(0, 72) : v.password;
      const got = await bcryptHash(password, salt, cost);
      expect(got.slice(0, 4)).toBe('$2b$');
      expect(got.slice(4)).toBe(v.crypt.slice(4));
    }
  });

  it('refuses a cost, salt or password bcrypt cannot take whole', async () => {
    const salt = new Uint8Array(16);
    await expect(bcryptHash('pw', salt, 3)).rejects.toThrow(/cost/);
    await expect(bcryptHash('pw', salt, 32)).rejects.toThrow(/cost/);
    await expect(bcryptHash('pw', new Uint8Array(15), 10)).rejects.toThrow(/salt/);
    await expect(bcryptHash('x'.repeat(73), salt, 4)).rejects.toThrow(/72 bytes/);
  });
});

describe('SHA-512-crypt off the event loop', () => {
  it('computes on a worker thread: the event loop turns while a long string is computed', async () => {
    let turned = false;
    const long = computeCryptString({ kind: 'sha512-crypt', rounds: 200_000 }, 'wNADKmUL9yu5').then(
      (crypt) => ({
        crypt,
        turnedBefore: turned,
      }),
    );
    await new Promise<void>((resolve) => setImmediate(resolve));
    turned = true;
    const { crypt, turnedBefore } = await long;
    expect(turnedBefore).toBe(true);
    expect(verify('wNADKmUL9yu5', crypt)).toBe(true);
  });

  it('refuses rounds outside the format before starting', async () => {
    await expect(computeCryptString({ kind: 'sha512-crypt', rounds: 999 }, 'pw')).rejects.toThrow(/rounds/);
  });
});

describe('fresh salts', () => {
  it('are 16 characters of the crypt alphabet, different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const salt = randomCryptSalt(16);
      expect(salt).toMatch(/^[./0-9A-Za-z]{16}$/);
      seen.add(salt);
    }
    expect(seen.size).toBe(1000);
    expect(new Set([...randomCryptSalt(64).repeat(50)]).size).toBeLessThanOrEqual(CRYPT_ALPHABET.length);
  });

  it('give two units with the same password different crypt strings', async () => {
    const a = await computeCryptString({ kind: 'sha512-crypt', rounds: 5000 }, 'wNADKmUL9yu5');
    const b = await computeCryptString({ kind: 'sha512-crypt', rounds: 5000 }, 'wNADKmUL9yu5');
    expect(a).toMatch(/^\$6\$rounds=5000\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(a).not.toBe(b);
    const c = await computeCryptString({ kind: 'bcrypt', cost: 4 }, 'wNADKmUL9yu5');
    const d = await computeCryptString({ kind: 'bcrypt', cost: 4 }, 'wNADKmUL9yu5');
    expect(c).toMatch(/^\$2b\$04\$[./0-9A-Za-z]{53}$/);
    expect(c).not.toBe(d);
  });

  it('any printable ASCII password round-trips through both kinds (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...' !~azAZ09$\'"\\'), minLength: 1, maxLength: 64 }),
        async (pw) => {
          const six = await computeCryptString({ kind: 'sha512-crypt', rounds: 1000 }, pw);
          expect(verify(pw, six)).toBe(true);
          const two = await computeCryptString({ kind: 'bcrypt', cost: 4 }, pw);
          expect(await bcryptjs.compare(pw, two)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });
});

const python = havePrerequisites("cross-check against Python's crypt module", PYTHON3_CRYPT);

describe.skipIf(!python)("cross-check against Python's crypt (libxcrypt)", () => {
  it('agrees on 40 random derived-style passwords for $6$ and $2b$', async () => {
    const cases: Array<{ password: string; crypt: string }> = [];
    for (let i = 0; i < 20; i++) {
      const password = Array.from({ length: 8 + randomInt(20) }, () => UNAMBIGUOUS56[randomInt(56)]).join('');
      cases.push({
        password,
        crypt: await computeCryptString({ kind: 'sha512-crypt', rounds: 1000 + randomInt(9000) }, password),
      });
      cases.push({
        password,
        crypt: await computeCryptString({ kind: 'bcrypt', cost: 4 + randomInt(3) }, password),
      });
    }
    const script =
      'import crypt, json, sys\n' +
      'for c in json.load(sys.stdin):\n' +
      '    print(crypt.crypt(c["password"], c["crypt"]) == c["crypt"])\n';
    const out = execFileSync('python3', ['-W', 'ignore', '-c', script], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
    });
    expect(out.trim().split('\n')).toEqual(cases.map(() => 'True'));
  });
});
