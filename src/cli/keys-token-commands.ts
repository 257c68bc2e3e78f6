/**
 * The token side of `credline keys create|import|info`: `--pkcs11 URI` puts a line key into a PKCS#11 token
 * (generated there, or imported from escrow) instead of a key file, and `keys info pkcs11:…` shows a token key.
 * Parsing and printing only; the work is in src/keys/pkcs11.
 */
import { type Command, Option } from 'commander';
import { usageError } from '../errors/credline-error.js';
import { createTokenLineKey, openTokenLineKey, parsePkcs11Uri } from '../keys/index.js';
import { openSealedKey } from './open-line-key.js';
import { addTokenOptions, tokenKeySpec } from './token-options.js';

/** Adds `--pkcs11 URI` and the token options to `keys create` or `keys import`. */
export function addTokenTarget(cmd: Command, verb: 'generate' | 'import'): Command {
  cmd.addOption(
    new Option(
      '--pkcs11 <URI>',
      `${verb} the line key in a PKCS#11 token (pkcs11:token=…;object=LABEL) instead of a key file`,
    ).conflicts(['out', 'kind']),
  );
  if (verb === 'import') {
    cmd.addOption(
      new Option(
        '--key-file <FILE>',
        'with --pkcs11: import the line key sealed in FILE (its passphrase asked)',
      ).conflicts(['hexFile', 'rawFile']),
    );
  }
  return addTokenOptions(cmd);
}

export const TOKEN_EXAMPLES = {
  create:
    "  $ credline keys create --pkcs11 'pkcs11:token=line3;object=line-key' --pkcs11-module /usr/lib/softhsm/libsofthsm2.so\n",
  import:
    "  $ credline keys import --pkcs11 'pkcs11:token=line3;object=line-key' --key-file line-3.ckey --pin-env LINE3_PIN\n",
  info: "  $ credline keys info 'pkcs11:token=line3;object=line-key' --pkcs11-module /usr/lib/softhsm/libsofthsm2.so\n",
};

/** `keys create --pkcs11`: the key is generated inside the token and never exists anywhere else. */
export async function createKeyInToken(uri: string, opts: Record<string, unknown>): Promise<void> {
  const spec = await tokenKeySpec(uri, parsePkcs11Uri(uri), opts);
  const created = await createTokenLineKey(spec);
  process.stdout.write(`generated line key ${created.keyId} in token "${created.token}": ${created.uri}\n`);
}

/**
 * `keys import --pkcs11`: the escrowed key (from a key file, or hex/raw file already read into `secret`) becomes a
 * non-extractable token object; the file key and its token twin derive the same passwords.
 */
export async function importKeyIntoToken(
  uri: string,
  opts: Record<string, unknown>,
  readSecret: () => Uint8Array,
): Promise<void> {
  const parsed = parsePkcs11Uri(uri);
  let secret: Uint8Array;
  const keyFile = typeof opts['keyFile'] === 'string' ? opts['keyFile'] : undefined;
  if (keyFile !== undefined) {
    const opened = await openSealedKey(keyFile, opts, { prompt: `Passphrase for ${keyFile}: ` });
    if (opened.header.kind !== 'line') {
      opened.secret.fill(0);
      throw usageError(
        'KEY_KIND',
        `${keyFile} is a ${opened.header.kind} key; only line keys go into a token`,
      );
    }
    secret = opened.secret;
  } else {
    secret = readSecret();
  }
  try {
    const spec = await tokenKeySpec(uri, parsed, opts);
    const created = await createTokenLineKey(spec, secret);
    process.stdout.write(
      `imported line key ${created.keyId} into token "${created.token}": ${created.uri}\n`,
    );
  } finally {
    secret.fill(0);
  }
}

/** `keys info pkcs11:…`: the token, the key object's protections and the key id (computed by the token). */
export async function showTokenKeyInfo(
  uri: string,
  opts: Record<string, unknown>,
  json: boolean,
): Promise<void> {
  const spec = await tokenKeySpec(uri, parsePkcs11Uri(uri), opts);
  const key = await openTokenLineKey(spec);
  try {
    const info = {
      uri: key.uri,
      kind: 'line',
      keyId: key.keyId,
      module: spec.modulePath,
      token: key.token,
      object: key.key,
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(info)}\n`);
      return;
    }
    const rows: Array<[string, string]> = [
      ['key', key.uri],
      ['kind', 'line key in a PKCS#11 token (HMAC-SHA-256 computed by the token)'],
      ['key id', key.keyId],
      [
        'token',
        `"${key.token.label}" (${key.token.manufacturer} ${key.token.model}, serial ${key.token.serial})`,
      ],
      ['module', spec.modulePath],
      ['object', `"${key.key.label}", id ${key.key.id || '(none)'}`],
      ['protection', 'sensitive, not extractable: the value cannot be read out'],
      ['origin', key.key.local ? 'generated in the token' : 'imported (a copy may exist in escrow)'],
    ];
    process.stdout.write(rows.map(([k, v]) => `${`${k}:`.padEnd(12)}${v}\n`).join(''));
  } finally {
    key.close();
  }
}
