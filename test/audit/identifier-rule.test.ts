import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run-audit.js';
import { ubeePasswords } from '../../src/audit/schemes/ubee-evw3226.js';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { batchOf, csprngPassword, shuffle } from './batches.js';

const rule = async (batch: Parameters<typeof runAudit>[0], id: string) =>
  (await runAudit(batch, { workers: 1 })).rules.find((r) => r.id === id);

const randomMac = (): string => csprngPassword('0123456789ABCDEF', 12);
const n = 500;

describe('identifier-derived on unkeyed hashes and known schemes', () => {
  it('confirms SHA-1 of the MAC (upper-case hex) rendered upper-case, truncated at an offset', async () => {
    const macs = Array.from({ length: n }, randomMac);
    const batch = batchOf(n, (i) =>
      createHash('sha1')
        .update(macs[i] ?? '')
        .digest('hex')
        .toUpperCase()
        .slice(9, 23),
    );
    batch.identifiers['mac'] = macs;
    const result = await rule(batch, 'identifier-derived');
    expect(result?.status).toBe('fail');
    expect(result?.violations).toBe(n);
    expect(result?.findings.join(' ')).toMatch(/sha1\(mac .*\) as hex-upper/);
  });

  it('confirms the CRC32 of the serial in decimal', async () => {
    const serials = Array.from({ length: n }, () => csprngPassword(UNAMBIGUOUS56, 10));
    const batch = batchOf(
      n,
      (i) => `${crc32(serials[i] ?? '')}`.padStart(10, '0'),
      (i) => serials[i] ?? '',
    );
    const result = await rule(batch, 'identifier-derived');
    expect(result?.status).toBe('fail');
    expect(result?.findings.join(' ')).toMatch(/crc32\(serial/);
  });

  it('names a known vendor scheme replayed over the MAC column (UBEE EVW3226)', async () => {
    const macs = Array.from({ length: n }, randomMac);
    const batch = batchOf(n, (i) => ubeePasswords(macs[i] ?? '')[0]);
    batch.identifiers['mac'] = macs;
    const result = await rule(batch, 'identifier-derived');
    expect(result?.status).toBe('fail');
    expect(result?.findings.join(' ')).toContain('UBEE EVW3226');
    expect(result?.examples[0]?.note).toContain('ubee-evw3226');
  });

  it("does not raise chance 4-character MAC fragments in a random batch (the issue's false-alarm case)", async () => {
    const macs = Array.from({ length: n }, randomMac);
    const batch = batchOf(n, () => csprngPassword('0123456789abcdef', 16));
    batch.identifiers['mac'] = macs;
    expect((await rule(batch, 'identifier-derived'))?.status).toBe('pass');
  });
});

describe('counter, disguised', () => {
  it('finds a counter in the middle with a random-looking shared prefix and suffix, rows shuffled', async () => {
    const passwords = shuffle(Array.from({ length: n }, (_, i) => `Tq9${String(7300 + i * 2)}vLz8`));
    const result = await rule(
      batchOf(n, (i) => passwords[i] ?? ''),
      'counter',
    );
    expect(result?.status).toBe('fail');
    expect(result?.violations).toBeGreaterThan(n * 0.9);
  });

  it('finds a counter behind per-row random text (numbers stepping at a fixed position)', async () => {
    const result = await rule(
      batchOf(n, (i) => `${csprngPassword(UNAMBIGUOUS56, 8)}${String(31000 + i)}`),
      'counter',
    );
    expect(result?.status).toBe('fail');
    expect(result?.findings.join(' ')).toMatch(/fixed position/);
  });

  it('finds passwords that are the same save for two changing characters', async () => {
    const stem = csprngPassword(UNAMBIGUOUS56, 12);
    const passwords = Array.from({ length: 300 }, (_, i) => {
      const chars = [...stem];
      chars[3] = UNAMBIGUOUS56[i % 56] ?? 'x';
      chars[8] = UNAMBIGUOUS56[Math.floor(i / 56)] ?? 'y';
      return chars.join('');
    });
    const result = await rule(
      batchOf(300, (i) => passwords[i] ?? ''),
      'counter',
    );
    expect(result?.status).toBe('fail');
    expect(result?.findings.join(' ')).toMatch(/differ from another row in at most 2 positions/);
  });
});
