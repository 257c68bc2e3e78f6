/**
 * The options of every command that takes `--key`: a sealed key file, or a PKCS#11 URI (RFC 7512) naming a key in
 * a token, with the library from `--pkcs11-module` (or CREDLINE_PKCS11_MODULE, or the URI's module-path) and the
 * user PIN from `--pin-env`, `--pin-file`, the URI's pin-source, or a prompt.
 */
import { type Command, Option } from 'commander';
import { usageError } from '../errors/credline-error.js';
import type { Pkcs11Uri, TokenKeySpec } from '../keys/index.js';
import { readPassphrase } from './passphrase-options.js';

export function addTokenOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--pkcs11-module <PATH>',
        'with a pkcs11: --key, the PKCS#11 library (e.g. libsofthsm2.so)',
      ).env('CREDLINE_PKCS11_MODULE'),
    )
    .addOption(new Option('--pin-env <VAR>', "with a pkcs11: --key, read the token's user PIN from VAR"))
    .addOption(new Option('--pin-file <FILE>', "with a pkcs11: --key, read the token's user PIN from FILE"));
}

/** The library, PIN and URI for a token key, read from the options (PIN last: nothing is asked on a bad URI). */
export async function tokenKeySpec(
  text: string,
  uri: Pkcs11Uri,
  opts: Record<string, unknown>,
): Promise<TokenKeySpec> {
  const fromOption =
    typeof opts['pkcs11Module'] === 'string' && opts['pkcs11Module'] !== ''
      ? opts['pkcs11Module']
      : undefined;
  if (fromOption !== undefined && uri.modulePath !== undefined && fromOption !== uri.modulePath) {
    throw usageError('PKCS11_MODULE', "--pkcs11-module and the URI's module-path name different libraries");
  }
  const modulePath = fromOption ?? uri.modulePath;
  if (modulePath === undefined) {
    throw usageError(
      'PKCS11_MODULE',
      'a pkcs11: key needs its PKCS#11 library: --pkcs11-module PATH (or CREDLINE_PKCS11_MODULE)',
    );
  }
  const env = typeof opts['pinEnv'] === 'string' ? opts['pinEnv'] : undefined;
  const file =
    typeof opts['pinFile'] === 'string' ? opts['pinFile'] : env === undefined ? uri.pinFile : undefined;
  const pin = await readPassphrase(
    { ...(env === undefined ? {} : { env }), ...(file === undefined ? {} : { file }) },
    {
      prompt: `User PIN for ${uri.token === undefined ? 'the token' : `token "${uri.token}"`}: `,
      optionPrefix: 'pin',
      noun: 'PIN',
    },
  );
  return { modulePath, uri: text, pin };
}
