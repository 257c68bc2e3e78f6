/**
 * The two refusals of an intent, for recordIntent and the bulk import alike: a fingerprint that another serial
 * already has, and a second PASS for a serial under one key without a re-provision reason.
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

/** The serial passed under this key before, and no re-provision reason was given (exit 1). */
export function alreadyProvisionedError(serial: string, keyId: string, passSeq: number): CredlineError {
  return new CredlineError(
    'ALREADY_PROVISIONED',
    `serial ${serial} already passed under key ${keyId} (evidence seq ${passSeq}); ` +
      'give a re-provision reason to provision it again',
    { exitCode: ExitCode.failed },
  );
}
