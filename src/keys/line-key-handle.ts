/**
 * An open line key, from a sealed file or a PKCS#11 token, as commands hold it: the {@link LineKey} the derivation
 * takes, its key id, what a worker thread needs to open its own copy, and how to let go of it.
 */
import { keyId as lineKeyId, lineKeyOf, type LineKey } from '../derive/index.js';
import { openTokenLineKey, type TokenKeySpec } from './pkcs11/index.js';

/** Plain data a worker thread can receive: the unsealed 32 bytes, or where the token key is and its PIN. */
export type SharedLineKey = { file: Uint8Array } | { token: TokenKeySpec };

export interface LineKeyHandle {
  key: LineKey;
  keyId: string;
  /** For a worker thread: {@link attachLineKey} opens its own copy (its own token session). */
  shared: SharedLineKey;
  /** Where the key is, for messages: "token "line3" (pkcs11:…)" or the file. */
  where: string;
  /** Zeroes the unsealed bytes, or closes the token session. Idempotent. */
  close(): void;
}

/** A handle on 32 unsealed bytes; it owns them and zeroes them on close. */
export function fileLineKeyHandle(secret: Uint8Array, where: string): LineKeyHandle {
  const key = lineKeyOf(secret);
  return { key, keyId: lineKeyId(key), shared: { file: secret }, where, close: () => secret.fill(0) };
}

/** Opens a token key (errors as {@link openTokenLineKey}). */
export async function tokenLineKeyHandle(spec: TokenKeySpec): Promise<LineKeyHandle> {
  const key = await openTokenLineKey(spec);
  return {
    key,
    keyId: key.keyId,
    shared: { token: spec },
    where: `token "${key.token.label}" (${key.uri})`,
    close: key.close,
  };
}

/** In a worker thread: a handle of its own on the key another thread opened. The file bytes are copied. */
export async function attachLineKey(shared: SharedLineKey): Promise<LineKeyHandle> {
  if ('token' in shared) return tokenLineKeyHandle(shared.token);
  return fileLineKeyHandle(Uint8Array.from(shared.file), 'a worker copy');
}
