/** Profiles whose store is a crypt(3) string, and the login-check phase. */
import { describe, expect, it } from 'vitest';
import { checkProfile } from '../../src/profiles/check-profile.js';
import { listShippedProfilePaths, readProfileJson } from '../../src/profiles/load-profile.js';
import { computeStoredValue } from '../../src/profiles/stored-value.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const uboot = readProfileJson(
  listShippedProfilePaths().find((p) => p.endsWith('/u-boot.json')) ?? '',
) as Json;

function issuesOf(change: (p: Json) => void): string[] {
  const p = structuredClone(uboot);
  change(p);
  const r = checkProfile(p, 'x.json');
  return r.issues ? r.issues.map((i) => `${i.path}: ${i.message}`) : [];
}

describe('crypt(3) store kinds', () => {
  it('accepts sha512-crypt with rounds and bcrypt with a cost', () => {
    expect(issuesOf((p) => (p.store = { kind: 'sha512-crypt', rounds: 5000 }))).toEqual([]);
    expect(issuesOf((p) => (p.store = { kind: 'bcrypt', cost: 10 }))).toEqual([]);
  });

  it('refuses costs outside the formats, missing costs and unknown kinds with a path', () => {
    expect(issuesOf((p) => (p.store = { kind: 'sha512-crypt', rounds: 999 }))).toContain(
      '$.store.rounds: expected a value that must be >= 1000',
    );
    expect(issuesOf((p) => (p.store = { kind: 'bcrypt', cost: 32 }))).toContain(
      '$.store.cost: expected a value that must be <= 31',
    );
    expect(issuesOf((p) => (p.store = { kind: 'sha512-crypt' }))).toContain(
      '$.store: missing required key "rounds"',
    );
    expect(issuesOf((p) => (p.store = { kind: 'yescrypt', cost: 5 }))).toContain(
      '$.store.kind: expected one of "plaintext", "pbkdf2-sha256", "sha512-crypt", "bcrypt"',
    );
  });

  it('refuses a console that would interpret the $ of a crypt string unquoted', () => {
    const issues = issuesOf((p) => {
      p.store = { kind: 'sha512-crypt', rounds: 5000 };
      p.console = { interprets: '$', quoting: 'none' };
    });
    expect(issues.join('\n')).toContain('$.store.kind: the crypt string uses "$"');
  });

  it('computes a fresh crypt string per call, never the password', async () => {
    const a = await computeStoredValue({ kind: 'sha512-crypt', rounds: 1000 }, 'wNADKmUL9yu5');
    const b = await computeStoredValue({ kind: 'sha512-crypt', rounds: 1000 }, 'wNADKmUL9yu5');
    expect(a).toMatch(/^\$6\$rounds=1000\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('wNADKmUL9yu5');
    expect(await computeStoredValue({ kind: 'bcrypt', cost: 4 }, 'wNADKmUL9yu5')).toMatch(/^\$2b\$04\$/);
  });
});

describe('login check', () => {
  const login = [
    { send: 'login root', prompt: '[Pp]assword: $' },
    { send: '{{password}}', fail: 'Login incorrect', failReason: 'login-refused' },
    { send: 'exit' },
  ];

  it('may send {{password}}, and a step may end at its own prompt', () => {
    const r = checkProfile(
      { ...structuredClone(uboot), dialogue: { ...uboot.dialogue, loginCheck: login } },
      'x',
    );
    if (r.issues) throw new Error(r.issues.map((i) => i.message).join('; '));
    expect(r.loaded.profile.dialogue.loginCheck).toHaveLength(3);
    expect(r.loaded.profile.dialogue.loginCheck[0]?.prompt).toBe('[Pp]assword: $');
  });

  it('is empty when the profile has none', () => {
    const r = checkProfile(structuredClone(uboot), 'x');
    expect(r.issues ?? r.loaded.profile.dialogue.loginCheck).toEqual([]);
  });

  it('refuses {{password}} anywhere else, and a bad step prompt regex', () => {
    expect(issuesOf((p) => (p.dialogue.write[0].send = 'env set pw {{password}}'))).toContain(
      '$.dialogue.write[0].send: unknown placeholder {{password}}: this step may use {{serial}}, {{nonce}}, {{value}}',
    );
    expect(
      issuesOf((p) => (p.dialogue.loginCheck = [{ send: 'login root', prompt: '(unclosed' }])).join('\n'),
    ).toContain('$.dialogue.loginCheck[0].prompt: expected a valid regular expression');
  });
});
