/**
 * The two refusals of an intent, written once for recordIntent and the bulk import (importDevices): a fingerprint
 * another serial already has, and a second PASS for a serial within its product (the batch's profile id), under
 * any line key, without a re-provision reason.
 */
import { CredlineError, ExitCode } from '../../errors/credline-error.js';

/** Another serial already has this password fingerprint: two devices would share a password (exit 70). */
export function collisionError(serial: string, other: { serial: string; seq: number }): CredlineError {
  return new CredlineError(
    'FINGERPRINT_COLLISION',
    `serial ${serial} would get the same password as serial ${other.serial} (evidence seq ${other.seq}): ` +
      'two devices must never share a password; stop the line and report this defect',
    { exitCode: ExitCode.internal },
  );
}

/** The serial passed before within its product (under the key named), and no re-provision reason was given (exit 1). */
export function alreadyProvisionedError(
  serial: string,
  profileId: string,
  pass: { seq: number; key_id: string },
): CredlineError {
  return new CredlineError(
    'ALREADY_PROVISIONED',
    `serial ${serial} of product ${profileId} already passed (under key ${pass.key_id}, evidence seq ${pass.seq}); ` +
      'give a re-provision reason to provision it again',
    { exitCode: ExitCode.failed },
  );
}
