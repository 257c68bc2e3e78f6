/**
 * The 48-bit floor, one rule (issue 13): what derive and the station accept, the audit passes, in every shipped
 * alphabet at the shortest length its policy allows, with the minimum set to exactly that policy's entropy.
 */
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run-audit.js';
import { MIN_ENTROPY_BITS, NAMED_ALPHABETS } from '../../src/derive/alphabet.js';
import { createPasswordDeriver } from '../../src/derive/password.js';
import { choosePassword, createPasswordPolicy } from '../../src/policy/index.js';
import { batchOf, serialOf } from './batches.js';

describe('runAudit: a batch drawn as the policy allows passes, at the 48-bit floor, in every shipped alphabet', () => {
  it.each(
    Object.values(NAMED_ALPHABETS).map((alphabet) => {
      const length = Math.ceil(MIN_ENTROPY_BITS / Math.log2(alphabet.length) - 1e-9);
      return { alphabet, length, bits: length * Math.log2(alphabet.length) };
    }),
  )(
    '$alphabet at $length symbols, 2,000 rows chosen as the station chooses',
    async ({ alphabet, length, bits }) => {
      const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + alphabet.length) & 0xff);
      const derive = createPasswordDeriver(key, { profileId: 'acme-cam', alphabet, length });
      const policy = createPasswordPolicy({ alphabet, length, minEntropyBits: bits, manufacturer: 'Acme' });
      const batch = batchOf(
        2000,
        (i) => choosePassword(derive, policy, { serial: serialOf(i) }).password ?? '',
      );
      expect(batch.passwords.every((p) => p.length === length)).toBe(true);
      const report = await runAudit(batch, { manufacturer: 'Acme', minEntropyBits: bits });
      expect(report.rules.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual([]);
    },
  );
});
