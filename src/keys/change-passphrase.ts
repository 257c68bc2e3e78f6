/** `keys passwd`: re-seal the same secret under a new passphrase, with a new salt and nonce. */
import { assertScryptCost, type ScryptCost } from './kdf.js';
import {
  type KeyFileHeader,
  type OpenedKey,
  freshScryptParams,
  openKeyFile,
  writeSealedKeyFile,
} from './key-file.js';
import { assertNewPassphrase } from './passphrase-policy.js';

/**
 * Opens `path` with the old passphrase and atomically replaces it with the same key (same kind, key id, label,
 * creation time) sealed under the new passphrase, with a new salt and nonce. The scrypt cost stays as it was unless
 * `kdf` changes it. Throws KEY_UNSEAL_FAILED for a wrong old passphrase (the file is left as it was).
 *
 * @example
 * await changeKeyPassphrase('line-3.ckey', oldPassphrase, newPassphrase);
 */
export async function changeKeyPassphrase(
  path: string,
  oldPassphrase: string,
  newPassphrase: string,
  options: { kdf?: Partial<ScryptCost> } = {},
): Promise<KeyFileHeader> {
  assertNewPassphrase(newPassphrase);
  const opened = await openKeyFile(path, oldPassphrase);
  try {
    return await resealKeyFile(path, opened, newPassphrase, options);
  } finally {
    opened.secret.fill(0);
  }
}

/**
 * Writes an already opened key back to `path` under a new passphrase (for callers that check the old passphrase
 * before asking for the new one). Does not zero `opened.secret`: the caller owns it.
 */
export async function resealKeyFile(
  path: string,
  opened: OpenedKey,
  newPassphrase: string,
  options: { kdf?: Partial<ScryptCost> } = {},
): Promise<KeyFileHeader> {
  assertNewPassphrase(newPassphrase);
  const { header, secret } = opened;
  const cost = { N: header.kdf.N, r: header.kdf.r, p: header.kdf.p, ...options.kdf };
  assertScryptCost(cost, 'scrypt cost');
  const next: KeyFileHeader = { ...header, kdf: freshScryptParams(cost) };
  await writeSealedKeyFile(path, next, secret, newPassphrase, true);
  return next;
}
