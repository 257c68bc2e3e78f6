/**
 * Sealing and unsealing the 32-byte secret with XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03) under the KEK,
 * with the canonical header bytes as associated data.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { usageError } from '../errors/credline-error.js';
import { encodeHeaderAad } from './header-aad.js';
import { type KeyFileHeader, type SealedSecret, NONCE_BYTES } from './key-file-format.js';

/**
 * Encrypts `secret` under `kek` with a fresh random 24-byte nonce, binding `header`.
 *
 * @example
 * const sealed = sealSecret(header, secret, kek); // { nonce: 24 bytes, ciphertext: 48 bytes }
 */
export function sealSecret(header: KeyFileHeader, secret: Uint8Array, kek: Uint8Array): SealedSecret {
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = xchacha20poly1305(kek, nonce, encodeHeaderAad(header)).encrypt(secret);
  return { nonce, ciphertext };
}

/**
 * Decrypts and authenticates the secret. A wrong passphrase (wrong KEK) and an altered header, nonce or ciphertext
 * are indistinguishable by design: both throw KEY_UNSEAL_FAILED naming the file.
 */
export function unsealSecret(
  file: string,
  header: KeyFileHeader,
  sealed: SealedSecret,
  kek: Uint8Array,
): Uint8Array {
  try {
    return xchacha20poly1305(kek, sealed.nonce, encodeHeaderAad(header)).decrypt(sealed.ciphertext);
  } catch (error) {
    throw usageError(
      'KEY_UNSEAL_FAILED',
      `cannot unseal ${file}: wrong passphrase, or the file was altered`,
      error,
    );
  }
}
