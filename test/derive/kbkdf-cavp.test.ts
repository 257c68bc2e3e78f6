/**
 * The derivation's KDF against someone else's vectors: NIST CAVP's KBKDF counter-mode vectors for exactly the
 * configuration scheme v1 is an instance of, [PRF=HMAC_SHA256] [CTRLOCATION=BEFORE_FIXED] [RLEN=32_BITS]
 * (test/vectors/README.md names the source), then the published password vector re-built on that same core.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { concatBytes, uint32be, utf8Bytes } from '../../src/derive/bytes.js';
import { kbkdfCounterHmacSha256 } from '../../src/derive/kbkdf.js';
import { createPasswordDeriver, SCHEME_LABEL } from '../../src/derive/password.js';

interface CavpVector {
  count: number;
  lengthBits: number;
  ki: string;
  fixedInput: string;
  ko: string;
}

/** The `[...]` configuration lines and the vectors of a CAVP response file. */
function readCavp(path: URL): { config: string[]; vectors: CavpVector[] } {
  const config: string[] = [];
  const vectors: CavpVector[] = [];
  let current: Record<string, string> = {};
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line.length === 0) continue;
    if (line.startsWith('[')) {
      config.push(line);
      continue;
    }
    const [name, value] = line.split(/\s*=\s*/) as [string, string | undefined];
    if (value === undefined) continue;
    if (name === 'COUNT') current = {};
    current[name] = value;
    if (name === 'KO') {
      vectors.push({
        count: Number(current['COUNT']),
        lengthBits: Number(current['L']),
        ki: current['KI'] ?? '',
        fixedInput: current['FixedInputData'] ?? '',
        ko: value,
      });
    }
  }
  return { config, vectors };
}

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const cavp = readCavp(new URL('../vectors/nist-kbkdf-ctr-hmac-sha256.txt', import.meta.url));

describe('the KDF core: NIST SP 800-108r1 counter mode, HMAC-SHA-256, 32-bit counter before the fixed input', () => {
  it('has exactly the one CAVP configuration, all 40 of its vectors', () => {
    expect(cavp.config).toEqual(['[PRF=HMAC_SHA256]', '[CTRLOCATION=BEFORE_FIXED]', '[RLEN=32_BITS]']);
    expect(cavp.vectors.map((v) => v.count)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(new Set(cavp.vectors.map((v) => v.lengthBits))).toEqual(new Set([128, 160, 256, 320]));
  });

  it('gives COUNT=0 (L = 128) as NIST does: 10621342bfb0fd40046c0e29f2cfdbf0', () => {
    const first = cavp.vectors[0] as CavpVector;
    expect(first.ko).toBe('10621342bfb0fd40046c0e29f2cfdbf0');
    expect(toHex(kbkdfCounterHmacSha256(hex(first.ki), hex(first.fixedInput), first.lengthBits))).toBe(
      first.ko,
    );
  });

  it.each(cavp.vectors.map((v) => [v.count, v.lengthBits, v] as const))(
    'COUNT=%i, L = %i',
    (_count, _bits, vector) => {
      const out = kbkdfCounterHmacSha256(hex(vector.ki), hex(vector.fixedInput), vector.lengthBits);
      expect(toHex(out)).toBe(vector.ko);
    },
  );

  it('refuses an output length that is not a whole number of bytes', () => {
    const key = new Uint8Array(32);
    for (const bits of [0, 7, 129, -8, 1.5]) {
      expect(() => kbkdfCounterHmacSha256(key, new Uint8Array(0), bits)).toThrow(/"lengthBits" expected/);
    }
  });

  it('is the core of scheme v1: the published vector is KBKDF(K, label ‖ 0x00 ‖ context ‖ [L]_32, L), then encoded', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const [serial, length, attempt] = ['KL2301-100001', 12, 0];
    const lengthBits = 256 * Math.ceil(length / 8);
    const zero = new Uint8Array([0]);
    const context = concatBytes(
      utf8Bytes('acme-cam'),
      zero,
      utf8Bytes(serial),
      zero,
      utf8Bytes(UNAMBIGUOUS56),
      zero,
      uint32be(length),
      uint32be(attempt),
    );
    const fixedInput = concatBytes(utf8Bytes(SCHEME_LABEL), zero, context, uint32be(lengthBits));
    const stream = kbkdfCounterHmacSha256(key, fixedInput, lengthBits);
    const limit = 256 - (256 % UNAMBIGUOUS56.length);
    const password = [...stream]
      .filter((b) => b < limit)
      .map((b) => UNAMBIGUOUS56[b % UNAMBIGUOUS56.length])
      .join('')
      .slice(0, length);
    expect(password).toBe('wNADKmUL9yu5');
    const derive = createPasswordDeriver(key, { profileId: 'acme-cam', alphabet: UNAMBIGUOUS56, length });
    expect(derive(serial, attempt).password).toBe(password);
  });
});
