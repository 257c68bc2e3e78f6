import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runAudit } from '../../src/audit/run-audit.js';
import type { AuditReport, RuleId } from '../../src/audit/audit-types.js';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import {
  batchOf,
  csprngPassword,
  derivedBatch,
  md5Hex,
  macOf,
  seededPassword,
  seededUint32,
  serialOf,
  sha256Base64,
  shuffle,
} from './batches.js';

const failing = (report: AuditReport): RuleId[] =>
  report.rules.filter((r) => r.status === 'fail').map((r) => r.id);
const testKey = new Uint8Array(32).map((_, i) => i);
const MIRAI = ['xc3511', 'vizxv', 'admin', 'juantech', '7ujMko0admin', 'hi3518'];

describe('runAudit on good batches', () => {
  it('passes a credline-derived batch of 3,000 rows on every rule', async () => {
    const report = await runAudit(derivedBatch(3000, testKey), {
      manufacturer: 'Acme Cameras',
      model: 'KL-2301',
    });
    expect(failing(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.stats.rows).toBe(3000);
    expect(report.stats.duplicates).toBe(0);
  });

  it('passes a CSPRNG batch of 3,000 rows', async () => {
    const report = await runAudit(batchOf(3000, () => csprngPassword(UNAMBIGUOUS56, 12)));
    expect(failing(report)).toEqual([]);
  });
});

describe('runAudit on weak batches: each fails the right rule', () => {
  const n = 600;
  const random = (): string => csprngPassword(UNAMBIGUOUS56, 12);
  it.each<[string, (i: number) => string, RuleId[]]>([
    ['duplicates', (i) => (i % 50 === 0 ? 'Qm7xKp2Lz9wR' : random()), ['unique']],
    ['a plain counter', (i) => `Kq7Zp${String(731597 + i)}`, ['counter', 'guessable']],
    [
      'a hex counter with a shared random prefix',
      (i) => `xW9pQ2mZ${(0xa3f000 + i).toString(16)}`,
      ['counter', 'guessable'],
    ],
    [
      'Mirai defaults',
      (i) => (i % 100 === 0 ? (MIRAI[i / 100] ?? '') : random()),
      ['public-info', 'guessable'],
    ],
    ['the manufacturer name', () => `acme${csprngPassword(UNAMBIGUOUS56, 10)}`, ['public-info']],
    [
      'MAC suffixes (sequential MACs: also a counter, and only 6 random symbols)',
      (i) => `${csprngPassword(UNAMBIGUOUS56, 6)}${macOf(i).replace(/:/g, '').slice(6)}`,
      ['counter', 'identifier-derived', 'guessable'],
    ],
    [
      'truncated MD5 of the serial, offset 5',
      (i) => md5Hex(serialOf(i)).slice(5, 19),
      ['identifier-derived'],
    ],
    [
      'SHA-256 of the MAC in base64, offset 3',
      (i) => sha256Base64(macOf(i).toUpperCase()).slice(3, 15),
      ['identifier-derived'],
    ],
  ])('%s', async (_name, password, expected) => {
    const report = await runAudit(batchOf(n, password), { manufacturer: 'Acme Cameras' });
    expect(failing(report)).toEqual(expected);
  });

  it('embedded random serials fail identifier-derived only', async () => {
    // Seeded: with fresh random rows the per-row policy checks flag a chance row now and then (a run of CI saw it).
    const next = seededUint32(1213);
    const serials = Array.from({ length: n }, () => seededPassword(UNAMBIGUOUS56, 8, next));
    const batch = batchOf(
      n,
      (i) => `${serials[i]}${seededPassword(UNAMBIGUOUS56, 6, next)}`,
      (i) => serials[i] ?? '',
    );
    const report = await runAudit(batch);
    expect(failing(report)).toEqual(['identifier-derived']);
    expect(report.rules.find((r) => r.id === 'identifier-derived')?.violations).toBe(n);
  });

  it('6-digit PINs fail guessable (and public-info for the ones that are listed), never counter', async () => {
    const report = await runAudit(batchOf(n, () => csprngPassword('0123456789', 6)));
    const failed = failing(report);
    expect(failed).toContain('guessable');
    expect(failed).not.toContain('counter');
    expect(failed).not.toContain('identifier-derived');
    const guessable = report.rules.find((r) => r.id === 'guessable');
    expect(guessable?.violations).toBe(n);
    expect(guessable?.examples[0]?.note).toMatch(/PIN-like/);
  });

  it('finds a counter even when rows are shuffled', async () => {
    const batch = batchOf(n, (i) => `Zr8Lq${String(5000 + i).padStart(6, '0')}x`);
    const order = shuffle(batch.passwords.map((_, i) => i));
    const shuffled = { ...batch, passwords: order.map((i) => batch.passwords[i] ?? '') };
    expect(failing(await runAudit(shuffled))).toContain('counter');
  });
});

describe('runAudit: credline-derived batches pass every rule for any key and profile (property)', () => {
  it('holds for random keys, alphabets and lengths at 400 rows', async () => {
    const alphabets = [UNAMBIGUOUS56, '0123456789abcdef', '0123456789'];
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: alphabets.length - 1 }),
        async (key, which) => {
          const alphabet = alphabets[which] ?? UNAMBIGUOUS56;
          const length = Math.ceil(56 / Math.log2(alphabet.length)); // at least 56 bits
          const report = await runAudit(derivedBatch(400, key, alphabet, length), { manufacturer: 'Acme' });
          expect(failing(report)).toEqual([]);
        },
      ),
      { numRuns: 4 },
    );
  });
});
