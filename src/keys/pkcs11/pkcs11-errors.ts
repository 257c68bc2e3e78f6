/**
 * PKCS#11 return values as credline errors: one line saying what happened and what to do. Before a run (opening
 * the key) a token problem is a key error (exit 2); once the run is under way, a token that stops answering is a
 * hardware error (exit 3), so the units in hand end FAILed or ABORTED, never PASS.
 */
import { CredlineError, ExitCode, usageError } from '../../errors/credline-error.js';

/** The CKR_ name a pkcs11js error carries (its message is that name), or undefined for another error. */
export function ckrOf(error: unknown): string | undefined {
  if (error instanceof Error && /^CKR_[A-Z_]+$/.test(error.message)) return error.message;
  return undefined;
}

/** Return values meaning the session, the login or the token itself is gone. */
const LOST = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_TOKEN_NOT_RECOGNIZED',
  'CKR_DEVICE_ERROR',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_CRYPTOKI_NOT_INITIALIZED',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_OBJECT_HANDLE_INVALID',
]);

/** An error while the token computes during a run: TOKEN_LOST or TOKEN_ERROR, exit 3. */
export function tokenRunError(error: unknown, token: string): CredlineError {
  const ckr = ckrOf(error) ?? (error instanceof Error ? error.message : String(error));
  if (LOST.has(ckr)) {
    return new CredlineError(
      'TOKEN_LOST',
      `the line key's token "${token}" stopped answering (${ckr}): the session or the token is gone`,
      { exitCode: ExitCode.transport, cause: error },
    );
  }
  return new CredlineError('TOKEN_ERROR', `the token "${token}" refused to compute HMAC-SHA-256 (${ckr})`, {
    exitCode: ExitCode.transport,
    cause: error,
  });
}

/** An error while opening a token key, before any unit is touched: exit 2. */
export function tokenOpenError(error: unknown, doing: string): CredlineError {
  if (error instanceof CredlineError) return error;
  const ckr = ckrOf(error) ?? (error instanceof Error ? error.message : String(error));
  return usageError('TOKEN_ERROR', `${doing} failed: ${ckr}`, error);
}
