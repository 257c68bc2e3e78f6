/**
 * Opens a sealed line key for a command: reads the passphrase from the command's options (or the prompt), unseals
 * the file once, and refuses a key file of another kind. The caller zeroes the returned bytes when done.
 */
import { openKeyFile } from '../keys/key-file.js';
import { usageError } from '../errors/credline-error.js';
import { passphraseSource, readPassphrase } from './passphrase-options.js';

export async function openLineKey(path: string, opts: Record<string, unknown>): Promise<Uint8Array> {
  const passphrase = await readPassphrase(passphraseSource(opts), { prompt: `Passphrase for ${path}: ` });
  const opened = await openKeyFile(path, passphrase);
  if (opened.header.kind !== 'line') {
    opened.secret.fill(0);
    throw usageError('KEY_KIND', `${path} is a ${opened.header.kind} key; a line key is needed here`);
  }
  return opened.secret;
}
