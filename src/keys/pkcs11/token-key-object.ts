/**
 * Finding the line key object on a token and checking it is one: a generic secret of 32 bytes, sensitive, not
 * extractable, allowed to sign (CKM_SHA256_HMAC is a signing mechanism in PKCS#11).
 */
import { usageError } from '../../errors/credline-error.js';
import type { Handle, Pkcs11Binding } from './pkcs11-binding.js';
import type { Pkcs11Uri } from './pkcs11-uri.js';
import type { TokenSession } from './token-session.js';

export interface TokenKeyFacts {
  label: string;
  /** CKA_ID, lowercase hex ('' when empty). */
  id: string;
  sensitive: boolean;
  extractable: boolean;
  /** CKA_LOCAL: generated inside the token (false when imported). */
  local: boolean;
  /** CKA_ALWAYS_SENSITIVE and CKA_NEVER_EXTRACTABLE: the value has never been outside the token. */
  neverOutside: boolean;
}

export function describeObject(uri: Pkcs11Uri): string {
  if (uri.object !== undefined) return `"${uri.object}"`;
  return `with id ${Buffer.from(uri.id ?? []).toString('hex')}`;
}

/** Objects on the token with the URI's label and id (any class, so a wrong-type key is reported as such). */
export function findObjects(ts: TokenSession, uri: Pkcs11Uri): Handle[] {
  const { api, b } = ts.module;
  const template = [
    ...(uri.object === undefined ? [] : [{ type: b.CKA_LABEL, value: uri.object }]),
    ...(uri.id === undefined ? [] : [{ type: b.CKA_ID, value: Buffer.from(uri.id) }]),
  ];
  api.C_FindObjectsInit(ts.session, template);
  try {
    return api.C_FindObjects(ts.session, 8);
  } finally {
    api.C_FindObjectsFinal(ts.session);
  }
}

function ulong(value: Buffer | undefined): number {
  if (value === undefined || value.length === 0) return -1;
  return value.length >= 8 ? Number(value.readBigUInt64LE(0)) : value.readUInt32LE(0);
}

function bool(value: Buffer | undefined): boolean {
  return value !== undefined && value.length > 0 && value[0] !== 0;
}

function className(b: Pkcs11Binding, cls: number): string {
  if (cls === b.CKO_PRIVATE_KEY) return 'a private key';
  if (cls === b.CKO_PUBLIC_KEY) return 'a public key';
  if (cls === b.CKO_CERTIFICATE) return 'a certificate';
  if (cls === b.CKO_DATA) return 'a data object';
  return `an object of class 0x${cls.toString(16)}`;
}

/**
 * Finds the one key object `uri` names and checks it can serve as a line key. Throws TOKEN_KEY_NOT_FOUND,
 * TOKEN_KEY_AMBIGUOUS, TOKEN_KEY_TYPE (not a 32-byte generic secret that may sign), TOKEN_KEY_EXTRACTABLE.
 */
export function findLineKeyObject(
  ts: TokenSession,
  uri: Pkcs11Uri,
): { handle: Handle; facts: TokenKeyFacts } {
  const { api, b } = ts.module;
  const where = `on token "${ts.token.label}"`;
  const found = findObjects(ts, uri);
  const handle = found[0];
  if (handle === undefined) {
    throw usageError(
      'TOKEN_KEY_NOT_FOUND',
      `no key ${describeObject(uri)} ${where} (or the PIN does not reach it)`,
    );
  }
  if (found.length > 1) {
    throw usageError(
      'TOKEN_KEY_AMBIGUOUS',
      `${found.length} objects ${describeObject(uri)} ${where}: add id=… to the URI`,
    );
  }
  const name = `the object ${describeObject(uri)} ${where}`;
  const [cls] = api.C_GetAttributeValue(ts.session, handle, [{ type: b.CKA_CLASS }]);
  if (ulong(cls?.value) !== b.CKO_SECRET_KEY) {
    throw usageError('TOKEN_KEY_TYPE', `${name} is ${className(b, ulong(cls?.value))}, not a secret key`);
  }
  const attrs = api.C_GetAttributeValue(ts.session, handle, [
    { type: b.CKA_KEY_TYPE },
    { type: b.CKA_VALUE_LEN },
    { type: b.CKA_SIGN },
    { type: b.CKA_SENSITIVE },
    { type: b.CKA_EXTRACTABLE },
    { type: b.CKA_LOCAL },
    { type: b.CKA_ALWAYS_SENSITIVE },
    { type: b.CKA_NEVER_EXTRACTABLE },
    { type: b.CKA_LABEL },
    { type: b.CKA_ID },
  ]);
  const value = (type: number): Buffer | undefined => attrs.find((a) => a.type === type)?.value;
  if (ulong(value(b.CKA_KEY_TYPE)) !== b.CKK_GENERIC_SECRET) {
    throw usageError('TOKEN_KEY_TYPE', `${name} is not a generic secret (CKK_GENERIC_SECRET) key`);
  }
  if (ulong(value(b.CKA_VALUE_LEN)) !== 32) {
    throw usageError('TOKEN_KEY_TYPE', `${name} is ${ulong(value(b.CKA_VALUE_LEN))} bytes; a line key is 32`);
  }
  if (!bool(value(b.CKA_SIGN))) {
    throw usageError('TOKEN_KEY_TYPE', `${name} may not sign (CKA_SIGN false), so it cannot compute HMAC`);
  }
  const facts: TokenKeyFacts = {
    label: value(b.CKA_LABEL)?.toString('utf8') ?? '',
    id: value(b.CKA_ID)?.toString('hex') ?? '',
    sensitive: bool(value(b.CKA_SENSITIVE)),
    extractable: bool(value(b.CKA_EXTRACTABLE)),
    local: bool(value(b.CKA_LOCAL)),
    neverOutside: bool(value(b.CKA_ALWAYS_SENSITIVE)) && bool(value(b.CKA_NEVER_EXTRACTABLE)),
  };
  if (facts.extractable || !facts.sensitive) {
    throw usageError(
      'TOKEN_KEY_EXTRACTABLE',
      `${name} can be read out of the token (${facts.extractable ? 'CKA_EXTRACTABLE true' : 'CKA_SENSITIVE false'}): ` +
        'a line key must be sensitive and non-extractable; import it again with credline keys import --pkcs11',
    );
  }
  return { handle, facts };
}
