import { describe, expect, it } from 'vitest';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { createPasswordDeriver, MAX_ATTEMPT, type PasswordDeriver } from '../../src/derive/password.js';
import { choosePassword } from '../../src/policy/choose-password.js';
import type { PasswordPolicy } from '../../src/policy/password-policy.js';

const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const derive = createPasswordDeriver(key, { profileId: 'acme-cam', alphabet: UNAMBIGUOUS56, length: 12 });
const figures = { zxcvbnScore: 4, log10Guesses: 12, entropyBits: 69.7 };

/** A policy (test double of the interface) that rejects the candidates of the attempts listed. */
function rejecting(attempts: number[]): PasswordPolicy {
  const rejected = new Set(attempts.map((a) => derive('KL2301-100001', a).password));
  return {
    check: (candidate) =>
      rejected.has(candidate)
        ? { accepted: false, rule: 'guessable', reason: 'test rejection', ...figures }
        : { accepted: true, ...figures },
  };
}

describe('choosePassword', () => {
  it('takes attempt 0 when the policy accepts it', () => {
    const chosen = choosePassword(derive, rejecting([]), { serial: ' KL2301-100001\n' });
    expect(chosen).toMatchObject({
      serial: 'KL2301-100001',
      password: 'wNADKmUL9yu5',
      attempt: 0,
      rejections: [],
    });
  });

  it('moves to the next attempt after each rejection and lists them, never with the password', () => {
    const chosen = choosePassword(derive, rejecting([0, 1]), { serial: 'KL2301-100001' });
    expect(chosen.attempt).toBe(2);
    expect(chosen.password).toBe(derive('KL2301-100001', 2).password);
    expect(chosen.rejections).toEqual([
      { attempt: 0, rule: 'guessable', detail: 'test rejection' },
      { attempt: 1, rule: 'guessable', detail: 'test rejection' },
    ]);
    expect(JSON.stringify(chosen.rejections)).not.toContain('wNADKmUL9yu5');
  });

  it('records an exhausted stream as a rejection and goes on', () => {
    const exhaustedAtZero: PasswordDeriver = (serial, attempt = 0) =>
      attempt === 0 ? { serial, attempt, password: null } : derive(serial, attempt);
    const chosen = choosePassword(exhaustedAtZero, null, { serial: 'KL2301-100001' });
    expect(chosen.attempt).toBe(1);
    expect(chosen.rejections).toEqual([{ attempt: 0, rule: 'stream-exhausted', detail: expect.any(String) }]);
  });

  it('gives no password after every attempt is rejected', () => {
    const all = Array.from({ length: MAX_ATTEMPT + 1 }, (_, i) => i);
    const chosen = choosePassword(derive, rejecting(all), { serial: 'KL2301-100001' });
    expect(chosen.password).toBeNull();
    expect(chosen.rejections).toHaveLength(MAX_ATTEMPT + 1);
  });
});
