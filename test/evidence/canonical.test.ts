import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalBytes,
  canonicalText,
  chainHash,
  GENESIS_HASH,
} from '../../src/evidence/chain/canonical.js';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { tempDir, TEST_KEY_ID } from './helpers.js';

/** The worked example in docs/evidence.md, "A worked example". */
const EXAMPLE_HEX =
  '0100000014637265646c696e652e6c69' +
  '6e652d6b65792e763101000000013101' +
  '00000010643963313833656238343631' +
  '3661626601000000116c696e65203120' +
  '2874657374206b657929010000001832' +
  '3032362d31312d32345430383a30303a' +
  '30302e3030305a';
const EXAMPLE_ROW_HASH = '4ece39d06d76dedd21ae68c8ee7909d857b7c03f13250c4f31bf997a00fd45f7';
const EXAMPLE_TIME = '2026-11-24T08:00:00.000Z';

describe('canonical encoding', () => {
  it('matches the worked example in docs/evidence.md byte for byte', () => {
    const bytes = canonicalBytes('credline.line-key.v1', [
      ['int', 1],
      ['text', TEST_KEY_ID],
      ['text', 'line 1 (test key)'],
      ['time', EXAMPLE_TIME],
    ]);
    expect(bytes.toString('hex')).toBe(EXAMPLE_HEX);
    expect(chainHash(GENESIS_HASH, bytes)).toBe(EXAMPLE_ROW_HASH);
  });

  it('agrees with an independent hash of the documented bytes (SHA-256 of 32 zero bytes ‖ example)', () => {
    const independent = createHash('sha256')
      .update(Buffer.alloc(32))
      .update(Buffer.from(EXAMPLE_HEX, 'hex'))
      .digest('hex');
    expect(independent).toBe(EXAMPLE_ROW_HASH);
  });

  it('is what the store writes: the example row registered first in a new file gets the example hash', () => {
    const store = openEvidenceStore(join(tempDir(), 'example.db'), {
      create: true,
      now: () => new Date(EXAMPLE_TIME),
    });
    const record = store.registerLineKey(TEST_KEY_ID, 'line 1 (test key)');
    expect(record).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, rowHash: EXAMPLE_ROW_HASH });
    store.close();
  });

  it('writes NULL as one 0x00 byte and text with a 4-byte big-endian UTF-8 length', () => {
    const bytes = canonicalBytes('t', [
      ['text', null],
      ['text', 'é'],
    ]);
    expect(bytes.toString('hex')).toBe('010000000174' + '00' + '0100000002c3a9');
  });

  it('writes integers in base 10 and 3-decimal reals in fixed point', () => {
    expect(canonicalText('int', -42)).toEqual({ text: '-42' });
    expect(canonicalText('real3', 12)).toEqual({ text: '12.000' });
    expect(canonicalText('real3', 69.658)).toEqual({ text: '69.658' });
    expect(canonicalText('real3', 0.1 + 0.2)).toHaveProperty('problem');
    expect(canonicalText('int', 1.5)).toHaveProperty('problem');
    expect(canonicalText('time', '2026-11-24T08:00:00Z')).toHaveProperty('problem');
    expect(canonicalText('date', '2026-02-30')).toHaveProperty('problem');
    expect(canonicalText('text', '')).toHaveProperty('problem');
  });

  it('tells apart values that a naive concatenation would confuse', () => {
    const a = canonicalBytes('t', [
      ['text', 'ab'],
      ['text', 'c'],
    ]);
    const b = canonicalBytes('t', [
      ['text', 'a'],
      ['text', 'bc'],
    ]);
    expect(a.equals(b)).toBe(false);
  });
});
