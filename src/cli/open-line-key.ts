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
  type OpenedKey,
} from '../keys/index.js';
import type { KeySource, LineKeySource } from '../station/index.js';
import { CredlineError, usageError } from '../errors/credline-error.js';
import {
  hasPassphraseOption,
  passphraseSource,
  readPassphrase,
  warnIfExposed,
} from './passphrase-options.js';
import { tokenKeySpec } from './token-options.js';

/** How many times the interactive prompt asks before a wrong passphrase ends the command. */
export const PROMPT_TRIES = 3;

/**
 * Unseals a key file for a command: warns when group or others can read the file, reads the passphrase from the
 * `prefix` options or the prompt, and opens the file. A wrong passphrase typed at the prompt is asked for again,
 * up to {@link PROMPT_TRIES} times; one given by option fails at once.
 */
export async function openSealedKey(
  path: string,
  opts: Record<string, unknown>,
  options: { prompt: string; prefix?: string },
): Promise<OpenedKey> {
  warnIfExposed(path, 'key file');
  const prefix = options.prefix ?? 'passphrase';
  const source = passphraseSource(opts, prefix);
  const tries = hasPassphraseOption(source) ? 1 : PROMPT_TRIES;
  for (let attempt = 1; ; attempt++) {
    const passphrase = await readPassphrase(source, { prompt: options.prompt, optionPrefix: prefix });
    try {
      return await openKeyFile(path, passphrase);
    } catch (error) {
      const wrong = error instanceof CredlineError && error.code === 'KEY_UNSEAL_FAILED';
      if (!wrong || attempt >= tries) throw error;
      process.stderr.write(
        `credline: wrong passphrase, or the file was altered (try ${attempt + 1} of ${tries})\n`,
      );
    }
  }
}

export async function openLineKey(key: string, opts: Record<string, unknown>): Promise<LineKeyHandle> {
  if (isPkcs11Uri(key)) return tokenLineKeyHandle(await tokenKeySpec(key, parsePkcs11Uri(key), opts));
  const opened = await openSealedKey(key, opts, { prompt: `Passphrase for ${key}: ` });
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

/**
 * `provision`'s line key: a key file to be opened later (as {@link keySource}), or a PKCS#11 URI (checked now; the
 * module and the PIN are read, and the token opened, when the run asks for the key).
 */
export function lineKeySource(key: string, opts: Record<string, unknown>): LineKeySource {
  if (!isPkcs11Uri(key)) return { file: keySource(key, opts, 'passphrase', 'line key') };
  const uri = parsePkcs11Uri(key);
  return {
    token: {
      uri: key,
      label: uri.object ?? 'line key in a token',
      open: async () => tokenLineKeyHandle(await tokenKeySpec(key, uri, opts)),
    },
  };
}
