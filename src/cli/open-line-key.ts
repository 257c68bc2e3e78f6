/**
 * Opens the line key a command's `--key` names: a sealed key file (passphrase from the options or the prompt,
 * unsealed once, a key file of another kind refused) or a PKCS#11 URI (the key stays in the token). The caller
 * closes the handle when done.
 */
import { openKeyFile } from '../keys/key-file.js';
import { fileLineKeyHandle, tokenLineKeyHandle, type LineKeyHandle } from '../keys/line-key-handle.js';
import { isPkcs11Uri, parsePkcs11Uri } from '../keys/pkcs11/index.js';
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
