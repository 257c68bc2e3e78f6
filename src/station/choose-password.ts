/**
 * Derives the password for one serial: attempt 0, then the next attempt after each policy rejection or exhausted
 * stream (each recorded in the evidence store, without the password), up to MAX_ATTEMPT.
 */
import { MAX_ATTEMPT, SCHEME_VERSION, type PasswordDeriver } from '../derive/password.js';
import type { EvidenceStore } from '../evidence/index.js';
import type { DeviceIdentity, PasswordPolicy, PolicyVerdict } from '../policy/index.js';

export interface ChosenPassword {
  password: string;
  attempt: number;
  verdict: PolicyVerdict;
}

export interface RejectionContext {
  store: EvidenceStore;
  batchId: string;
  keyId: string;
  port: string;
  stationId: string;
  operator?: string;
}

/** Returns the first accepted candidate, or null when every attempt was rejected (each rejection recorded). */
export function choosePassword(
  derive: PasswordDeriver,
  policy: PasswordPolicy,
  identity: DeviceIdentity,
  record: RejectionContext,
): ChosenPassword | null {
  for (let attempt = 0; attempt <= MAX_ATTEMPT; attempt++) {
    const { password } = derive(identity.serial, attempt);
    let rule: string;
    let detail: string | undefined;
    if (password === null) {
      rule = 'stream-exhausted';
      detail = 'the derivation stream ran out before the password length';
    } else {
      const verdict = policy.check(password, identity);
      if (verdict.accepted) return { password, attempt, verdict };
      rule = verdict.rule ?? 'policy';
      detail = verdict.reason;
    }
    record.store.recordPolicyRejection({
      batchId: record.batchId,
      serial: identity.serial,
      keyId: record.keyId,
      schemeVersion: SCHEME_VERSION,
      attempt,
      rule,
      ...(detail === undefined ? {} : { detail }),
      port: record.port,
      stationId: record.stationId,
      ...(record.operator === undefined ? {} : { operator: record.operator }),
    });
  }
  return null;
}
