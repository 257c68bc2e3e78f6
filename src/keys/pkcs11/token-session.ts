/**
 * A logged-in session on the one token a PKCS#11 URI names. Opening it is the set-up step every token operation
 * shares: load the module, find exactly one present token matching the URI, open a session, log in as the user.
 */
import { usageError } from '../../errors/credline-error.js';
import { type Handle, type Pkcs11Module, openPkcs11Module } from './pkcs11-binding.js';
import { ckrOf, tokenOpenError } from './pkcs11-errors.js';
import type { Pkcs11Uri } from './pkcs11-uri.js';

export interface TokenDescription {
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
}

export interface TokenSession {
  module: Pkcs11Module;
  session: Handle;
  token: TokenDescription;
  /** Closes the session and releases the module. Idempotent. */
  close(): void;
}

const trimmed = (padded: string): string => padded.replace(/[ \0]+$/, '');

function matches(uri: Pkcs11Uri, token: TokenDescription, slotId: number): boolean {
  return (
    (uri.token === undefined || uri.token === token.label) &&
    (uri.manufacturer === undefined || uri.manufacturer === token.manufacturer) &&
    (uri.model === undefined || uri.model === token.model) &&
    (uri.serial === undefined || uri.serial === token.serial) &&
    (uri.slotId === undefined || uri.slotId === slotId)
  );
}

/** CK_SLOT_ID, an unsigned long in the platform's byte order (little-endian here). */
function slotNumber(slot: Handle): number {
  return slot.length >= 8 ? Number(slot.readBigUInt64LE(0)) : slot.readUInt32LE(0);
}

function wanted(uri: Pkcs11Uri): string {
  return uri.token === undefined ? 'matching the URI' : `labelled "${uri.token}"`;
}

/**
 * Opens a user session on the token `uri` names, in the library at `modulePath`. `readWrite` for creating objects.
 * Throws TOKEN_MODULE, TOKEN_NOT_FOUND (none present, including a removed token), TOKEN_AMBIGUOUS, TOKEN_PIN.
 */
export async function openTokenSession(
  modulePath: string,
  uri: Pkcs11Uri,
  pin: string,
  readWrite = false,
): Promise<TokenSession> {
  const module = await openPkcs11Module(modulePath);
  const { api, b } = module;
  let session: Handle | undefined;
  try {
    const present: { slot: Handle; token: TokenDescription }[] = [];
    for (const slot of api.C_GetSlotList(true)) {
      const info = api.C_GetTokenInfo(slot);
      if ((info.flags & b.CKF_TOKEN_INITIALIZED) === 0) continue;
      present.push({
        slot,
        token: {
          label: trimmed(info.label),
          manufacturer: trimmed(info.manufacturerID),
          model: trimmed(info.model),
          serial: trimmed(info.serialNumber),
        },
      });
    }
    const found = present.filter((p) => matches(uri, p.token, slotNumber(p.slot)));
    const chosen = found[0];
    if (chosen === undefined) {
      const labels = present.map((p) => `"${p.token.label}"`).join(', ') || 'none';
      throw usageError(
        'TOKEN_NOT_FOUND',
        `no token ${wanted(uri)} is present in ${modulePath} (tokens present: ${labels})`,
      );
    }
    if (found.length > 1) {
      throw usageError(
        'TOKEN_AMBIGUOUS',
        `${found.length} tokens ${wanted(uri)} are present: add serial=… to the URI to choose one`,
      );
    }
    const flags = b.CKF_SERIAL_SESSION | (readWrite ? b.CKF_RW_SESSION : 0);
    session = api.C_OpenSession(chosen.slot, flags);
    login(module, session, pin, chosen.token.label);
    const opened = session;
    let closed = false;
    return {
      module,
      session: opened,
      token: chosen.token,
      close() {
        if (closed) return;
        closed = true;
        try {
          api.C_CloseSession(opened);
        } catch {
          // The session may already be gone with its token; releasing the module still happens.
        }
        module.release();
      },
    };
  } catch (error) {
    if (session !== undefined) {
      try {
        api.C_CloseSession(session);
      } catch {
        // Already failing: the first error is the one worth reporting.
      }
    }
    module.release();
    throw tokenOpenError(error, `opening the token ${wanted(uri)}`);
  }
}

function login(module: Pkcs11Module, session: Handle, pin: string, label: string): void {
  try {
    module.api.C_Login(session, module.b.CKU_USER, pin);
  } catch (error) {
    const ckr = ckrOf(error);
    if (ckr === 'CKR_USER_ALREADY_LOGGED_IN') return;
    if (ckr === 'CKR_PIN_INCORRECT' || ckr === 'CKR_PIN_INVALID' || ckr === 'CKR_PIN_LEN_RANGE') {
      throw usageError('TOKEN_PIN', `wrong PIN for token "${label}"`, error);
    }
    if (ckr === 'CKR_PIN_LOCKED') {
      throw usageError(
        'TOKEN_PIN',
        `the user PIN of token "${label}" is locked (too many wrong PINs)`,
        error,
      );
    }
    throw tokenOpenError(error, `logging in to token "${label}"`);
  }
}
