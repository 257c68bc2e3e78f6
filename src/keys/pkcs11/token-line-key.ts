/**
 * A line key held in a PKCS#11 token: every HMAC-SHA-256 under K is computed by the token (C_SignInit with
 * CKM_SHA256_HMAC, then C_Sign); the host sends each message and receives 32 bytes, and never sees K.
 *
 * @example
 * const key = await openTokenLineKey({ modulePath: '/usr/lib/softhsm/libsofthsm2.so',
 *   uri: 'pkcs11:token=line3;object=line-key', pin });
 * try { createPasswordDeriver(key, params)('KL2301-100001'); } finally { key.close(); }
 */
import { keyId as lineKeyId, type LineKey } from '../../derive/index.js';
import { tokenOpenError, tokenRunError } from './pkcs11-errors.js';
import { parsePkcs11Uri, redact } from './pkcs11-uri.js';
import { findLineKeyObject, type TokenKeyFacts } from './token-key-object.js';
import { openTokenSession, type TokenDescription } from './token-session.js';

/** Where a token key is and how to reach it; plain data, so a worker thread can open its own session with it. */
export interface TokenKeySpec {
  /** The PKCS#11 library. */
  modulePath: string;
  /** RFC 7512 URI naming the token and the key object. */
  uri: string;
  pin: string;
}

export interface TokenLineKey extends LineKey {
  readonly keyId: string;
  readonly token: TokenDescription;
  readonly key: TokenKeyFacts;
  /** The URI, without any PIN. */
  readonly uri: string;
  /** Closes this key's session (the key object stays in the token). Idempotent. */
  close(): void;
}

/**
 * Opens a session on the token, finds and checks the key, and computes its key id there. Each call opens its own
 * session: use one per thread. Errors before the run are key errors (exit 2); an HMAC the token fails to compute
 * later throws TOKEN_LOST or TOKEN_ERROR (exit 3).
 */
export async function openTokenLineKey(spec: TokenKeySpec): Promise<TokenLineKey> {
  const uri = parsePkcs11Uri(spec.uri);
  const ts = await openTokenSession(spec.modulePath, uri, spec.pin);
  try {
    const { handle, facts } = findLineKeyObject(ts, uri);
    const { api, b } = ts.module;
    const mechanism = { mechanism: b.CKM_SHA256_HMAC };
    const label = ts.token.label;
    const mac = (message: Uint8Array): Uint8Array => {
      try {
        api.C_SignInit(ts.session, mechanism, handle);
        const data = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
        return api.C_Sign(ts.session, data, Buffer.alloc(32));
      } catch (error) {
        throw tokenRunError(error, label);
      }
    };
    let id: string;
    try {
      id = lineKeyId({ mac });
    } catch (error) {
      throw tokenOpenError(
        error instanceof Error ? (error.cause ?? error) : error,
        `computing HMAC-SHA-256 with the key on token "${label}"`,
      );
    }
    return { mac, keyId: id, token: ts.token, key: facts, uri: redact(spec.uri), close: ts.close };
  } catch (error) {
    ts.close();
    throw error;
  }
}
