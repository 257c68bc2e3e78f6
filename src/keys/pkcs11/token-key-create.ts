/**
 * Putting a line key into a token: generated inside it (`keys create --pkcs11`: the value never exists outside), or
 * imported from escrow (`keys import --pkcs11`: the same 32 bytes as a key file, so both derive the same
 * passwords). Either way the object is a token-resident generic secret, sensitive, non-extractable, usable only to
 * sign (CKM_SHA256_HMAC), with CKA_ID set to its 8-byte key id.
 */
import { keyId as lineKeyId, lineKeyOf } from '../../derive/index.js';
import { usageError } from '../../errors/credline-error.js';
import { tokenOpenError } from './pkcs11-errors.js';
import { formatPkcs11Uri, parsePkcs11Uri } from './pkcs11-uri.js';
import { findObjects } from './token-key-object.js';
import { openTokenSession } from './token-session.js';
import type { TokenKeySpec } from './token-line-key.js';

export interface CreatedTokenKey {
  keyId: string;
  token: string;
  /** The URI naming the new key. */
  uri: string;
}

/**
 * Creates the line key `spec.uri` names (token=…;object=…), from `secret` when given (import) or generated in the
 * token. Throws TOKEN_KEY_EXISTS when an object with that label is already there, and the errors of opening a
 * session.
 */
export async function createTokenLineKey(spec: TokenKeySpec, secret?: Uint8Array): Promise<CreatedTokenKey> {
  const uri = parsePkcs11Uri(spec.uri);
  const label = uri.object;
  if (label === undefined || uri.id !== undefined) {
    throw usageError(
      'PKCS11_URI',
      'to create a key, name it with object=LABEL only (its id is set to the key id)',
    );
  }
  if (secret !== undefined && secret.length !== 32) {
    throw usageError('KEY_SECRET_LENGTH', `a line key is 32 bytes, got ${secret.length}`);
  }
  const ts = await openTokenSession(spec.modulePath, uri, spec.pin, true);
  try {
    if (findObjects(ts, uri).length > 0) {
      throw usageError('TOKEN_KEY_EXISTS', `token "${ts.token.label}" already holds an object "${label}"`);
    }
    const { api, b } = ts.module;
    const template = [
      { type: b.CKA_CLASS, value: b.CKO_SECRET_KEY },
      { type: b.CKA_KEY_TYPE, value: b.CKK_GENERIC_SECRET },
      { type: b.CKA_TOKEN, value: true },
      { type: b.CKA_PRIVATE, value: true },
      { type: b.CKA_SENSITIVE, value: true },
      { type: b.CKA_EXTRACTABLE, value: false },
      { type: b.CKA_SIGN, value: true },
      { type: b.CKA_VERIFY, value: false },
      { type: b.CKA_ENCRYPT, value: false },
      { type: b.CKA_DECRYPT, value: false },
      { type: b.CKA_WRAP, value: false },
      { type: b.CKA_UNWRAP, value: false },
      { type: b.CKA_DERIVE, value: false },
      { type: b.CKA_MODIFIABLE, value: true },
      { type: b.CKA_LABEL, value: label },
    ];
    let handle;
    try {
      handle =
        secret === undefined
          ? api.C_GenerateKey(ts.session, { mechanism: b.CKM_GENERIC_SECRET_KEY_GEN }, [
              ...template,
              { type: b.CKA_VALUE_LEN, value: 32 },
            ])
          : api.C_CreateObject(ts.session, [...template, { type: b.CKA_VALUE, value: Buffer.from(secret) }]);
    } catch (error) {
      throw tokenOpenError(
        error,
        `${secret === undefined ? 'generating' : 'importing'} the key on token "${ts.token.label}"`,
      );
    }
    const mechanism = { mechanism: b.CKM_SHA256_HMAC };
    const id = lineKeyId({
      mac(message) {
        api.C_SignInit(ts.session, mechanism, handle);
        return api.C_Sign(ts.session, Buffer.from(message), Buffer.alloc(32));
      },
    });
    if (secret !== undefined && id !== lineKeyId(lineKeyOf(secret))) {
      api.C_DestroyObject(ts.session, handle);
      throw usageError(
        'KEY_ID_MISMATCH',
        `the token computed key id ${id} for the imported key: it was not stored`,
      );
    }
    api.C_SetAttributeValue(ts.session, handle, [{ type: b.CKA_ID, value: Buffer.from(id, 'hex') }]);
    return {
      keyId: id,
      token: ts.token.label,
      uri: formatPkcs11Uri({ token: ts.token.label, object: label }),
    };
  } catch (error) {
    throw tokenOpenError(error, `creating the key on token "${ts.token.label}"`);
  } finally {
    ts.close();
  }
}
