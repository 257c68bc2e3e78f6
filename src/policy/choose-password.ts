/**
 * Scheme v1's attempt loop under the password policy: attempt 0, then the next attempt after each rejection or
 * exhausted stream, up to MAX_ATTEMPT. The station records each rejection in the evidence; `credline derive`
 * reports them. Pure: the caller decides what to do with the rejections.
 */
import { MAX_ATTEMPT, STREAM_EXHAUSTED, type PasswordDeriver } from '../derive/index.js';
import type { DeviceIdentity } from './identifier-forms.js';
import type { PasswordPolicy, PolicyVerdict } from './password-policy.js';

export interface AttemptRejection {
  attempt: number;
  /** A policy rule id, or `stream-exhausted`. */
  rule: string;
  /** Why, without the password. */
  detail: string;
}

export interface ChosenPassword {
  /** The canonical serial. */
  serial: string;
  /** The accepted password, or null when every attempt was rejected. */
  password: string | null;
  attempt: number;
  /** The accepted candidate's verdict (figures for the evidence), when there is one. */
  verdict: PolicyVerdict | null;
  rejections: AttemptRejection[];
}

/**
 * @example
 * const chosen = choosePassword(derive, policy, { serial: 'KL2301-100001', mac: '00:12:bf:91:0b:ec' });
 * if (chosen.password === null) fail('policy-exhausted', chosen.rejections);
 */
export function choosePassword(
  derive: PasswordDeriver,
  policy: PasswordPolicy | null,
  identity: DeviceIdentity,
): ChosenPassword {
  const rejections: AttemptRejection[] = [];
  let serial = identity.serial;
  for (let attempt = 0; attempt <= MAX_ATTEMPT; attempt++) {
    const derived = derive(identity.serial, attempt);
    serial = derived.serial;
    if (derived.password === null) {
      rejections.push({
        attempt,
        rule: STREAM_EXHAUSTED,
        detail: 'the derivation stream ran out before the password length',
      });
      continue;
    }
    if (policy === null) return { serial, password: derived.password, attempt, verdict: null, rejections };
    const verdict = policy.check(derived.password, { ...identity, serial });
    if (verdict.accepted) return { serial, password: derived.password, attempt, verdict, rejections };
    rejections.push({
      attempt,
      rule: verdict.rule ?? 'policy',
      detail: verdict.reason ?? 'rejected by the policy',
    });
  }
  return { serial, password: null, attempt: MAX_ATTEMPT, verdict: null, rejections };
}
