/**
 * The station's side of the attempt loop: the shared loop (src/policy/choose-password.ts, also used by
 * `credline derive`) picks the password; every rejection it met is recorded in the evidence store, without the
 * password, before the device is touched.
 */
import { SCHEME_VERSION, type PasswordDeriver } from '../derive/password.js';
import type { EvidenceStore } from '../evidence/index.js';
import type { DeviceIdentity, PasswordPolicy } from '../policy/index.js';
import { choosePassword, type ChosenPassword } from '../policy/choose-password.js';

export interface RejectionContext {
  store: EvidenceStore;
  batchId: string;
  keyId: string;
  port: string;
  stationId: string;
  operator?: string;
}

/** Chooses the password for one unit and records each rejected attempt; `password` is null when all were rejected. */
export function choosePasswordRecorded(
  derive: PasswordDeriver,
  policy: PasswordPolicy,
  identity: DeviceIdentity,
  record: RejectionContext,
): ChosenPassword {
  const chosen = choosePassword(derive, policy, identity);
  for (const rejection of chosen.rejections) {
    record.store.recordPolicyRejection({
      batchId: record.batchId,
      serial: chosen.serial,
      keyId: record.keyId,
      schemeVersion: SCHEME_VERSION,
      attempt: rejection.attempt,
      rule: rejection.rule,
      detail: rejection.detail,
      port: record.port,
      stationId: record.stationId,
      ...(record.operator === undefined ? {} : { operator: record.operator }),
    });
  }
  return chosen;
}
