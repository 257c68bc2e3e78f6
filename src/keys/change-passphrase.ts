/** `keys passwd`: re-seal the same secret under a new passphrase, with a new salt and nonce. */
import { assertScryptCost, type ScryptCost } from './kdf.js';
import { type KeyFileHeader, freshScryptParams, openKeyFile, writeSealedKeyFile } from './key-file.js';
import { assertNewPassphrase } from './passphrase-policy.js';

/**
 * Opens `path` with the old passphrase and atomically replaces it with the same key (same kind, key id, label,
 * creation time) sealed under the new passphrase. The scrypt cost stays as it was unless `kdf` raises it.
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
  const { header, secret } = await openKeyFile(path, oldPassphrase);
  try {
    const cost = { N: header.kdf.N, r: header.kdf.r, p: header.kdf.p, ...options.kdf };
    assertScryptCost(cost, 'scrypt cost');
    const next: KeyFileHeader = { ...header, kdf: freshScryptParams(cost) };
    await writeSealedKeyFile(path, next, secret, newPassphrase, true);
    return next;
  } finally {
    secret.fill(0);
  }
}
