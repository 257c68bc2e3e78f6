/**
 * Opens the line key a command's `--key` names: a sealed key file (passphrase from the options or the prompt,
 * unsealed once, a key file of another kind refused) or a PKCS#11 URI (the key stays in the token). The caller
 * closes the handle when done. `keySource` gives `provision` a key file to open later, its header read now.
 */
import {
  fileLineKeyHandle,
  isPkcs11Uri,
  openKeyFile,
  parsePkcs11Uri,
  readKeyFileHeader,
  tokenLineKeyHandle,
  type LineKeyHandle,
} from '../keys/index.js';
import type { KeySource } from '../station/index.js';
import { usageError } from '../errors/credline-error.js';
import { passphraseSource, readPassphrase } from './passphrase-options.js';
import { tokenKeySpec } from './token-options.js';

export async function openLineKey(key: string, opts: Record<string, unknown>): Promise<LineKeyHandle> {
  if (isPkcs11Uri(key)) return tokenLineKeyHandle(await tokenKeySpec(key, parsePkcs11Uri(key), opts));
  const passphrase = await readPassphrase(passphraseSource(opts), { prompt: `Passphrase for ${key}: ` });
  const opened = await openKeyFile(key, passphrase);
  if (opened.header.kind !== 'line') {
    opened.secret.fill(0);
    throw usageError('KEY_KIND', `${key} is a ${opened.header.kind} key; a line key is needed here`);
  }
  return fileLineKeyHandle(opened.secret, key);
}

/**
 * A key file to be opened later: its header is read now (a missing or damaged file is reported before anything
 * else), the passphrase is asked for when it is opened. `prefix` names the passphrase options
 * (`passphrase`, `station-passphrase`); `what` names the key in the prompt.
 */
export function keySource(
  path: string,
  opts: Record<string, unknown>,
  prefix: string,
  what: string,
): KeySource {
  return {
    path,
    header: readKeyFileHeader(path),
    open: async () => {
      const passphrase = await readPassphrase(passphraseSource(opts, prefix), {
        prompt: `Passphrase for ${what} ${path}: `,
        optionPrefix: prefix,
      });
      return openKeyFile(path, passphrase);
    },
  };
}
