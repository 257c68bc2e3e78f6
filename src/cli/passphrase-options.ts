/**
 * The passphrase options every command that opens or writes a sealed key file takes: an interactive prompt (not
 * echoed, on the controlling terminal), `--passphrase-env VAR` or `--passphrase-file F` (one trailing newline in the
 * file is not part of the passphrase). `passwd` adds the same trio with the prefix `new-passphrase`.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';
import { exposedSecretWarning } from '../keys/index.js';

export interface PassphraseSource {
  env?: string;
  file?: string;
}

export function addPassphraseOptions(cmd: Command, prefix = 'passphrase', what = 'the key file'): Command {
  return cmd
    .addOption(
      new Option(`--${prefix}-env <VAR>`, `read the passphrase for ${what} from environment variable VAR`),
    )
    .addOption(
      new Option(
        `--${prefix}-file <FILE>`,
        `read the passphrase for ${what} from FILE (one trailing newline is dropped)`,
      ),
    );
}

/** Picks `{ env, file }` for a prefix out of commander's camel-cased options. */
export function passphraseSource(opts: Record<string, unknown>, prefix = 'passphrase'): PassphraseSource {
  const camel = prefix.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const env = opts[`${camel}Env`];
  const file = opts[`${camel}File`];
  return {
    ...(typeof env === 'string' ? { env } : {}),
    ...(typeof file === 'string' ? { file } : {}),
  };
}

/** True when a passphrase was given by option (so no prompt is needed). */
export function hasPassphraseOption(source: PassphraseSource): boolean {
  return source.env !== undefined || source.file !== undefined;
}

/**
 * Reads a passphrase from the option given, or prompts on the terminal (twice when `confirm`). Never echoes it,
 * never puts it in an error message.
 */
export async function readPassphrase(
  source: PassphraseSource,
  options: { prompt: string; confirm?: boolean; optionPrefix?: string; noun?: string },
): Promise<string> {
  const prefix = options.optionPrefix ?? 'passphrase';
  const noun = options.noun ?? 'passphrase';
  if (source.env !== undefined && source.file !== undefined) {
    throw usageError('PASSPHRASE_OPTIONS', `give only one of --${prefix}-env and --${prefix}-file`);
  }
  let passphrase: string;
  if (source.env !== undefined) {
    const value = process.env[source.env];
    if (value === undefined)
      throw usageError('PASSPHRASE_MISSING', `environment variable ${source.env} is not set`);
    passphrase = value;
  } else if (source.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(source.file, 'utf8');
    } catch (error) {
      throw usageError('PASSPHRASE_FILE', `cannot read ${noun} file ${source.file}: ${fsErrorText(error)}`);
    }
    warnIfExposed(source.file, `${noun} file`);
    passphrase = text.replace(/\r?\n$/, '');
  } else {
    passphrase = await promptHidden(options.prompt, prefix, noun);
    if (options.confirm) {
      const again = await promptHidden('Repeat it: ', prefix, noun);
      if (again !== passphrase)
        throw usageError('PASSPHRASE_MISMATCH', 'the two passphrases differ; nothing was written');
    }
  }
  if (passphrase.length === 0) throw usageError('PASSPHRASE_EMPTY', `the ${noun} is empty`);
  return passphrase;
}

/**
 * Warns (stderr, one line) when group or others can read a file holding a secret: a passphrase file, a sealed key
 * file. The same rule for every command (src/keys/file-access.ts).
 */
export function warnIfExposed(path: string, what: string): void {
  const warning = exposedSecretWarning(path, what);
  if (warning !== undefined) process.stderr.write(`credline: warning: ${warning}\n`);
}

/** Refuses, before any work starts, an input file that is missing, unreadable or a directory. */
export function assertReadableFile(path: string): void {
  try {
    accessSync(path, constants.R_OK);
    if (statSync(path).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (error) {
    throw usageError('INPUT_FILE', `cannot read ${path}: ${fsErrorText(error)}`);
  }
}

async function promptHidden(prompt: string, prefix: string, noun: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    throw usageError(
      'PASSPHRASE_NO_TTY',
      `no ${noun} given and no terminal to ask on: use --${prefix}-env VAR or --${prefix}-file FILE`,
    );
  }
  stdin.setRawMode(true); // echo off before the prompt appears, so nothing typed early is echoed
  process.stderr.write(prompt);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string): void => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            resolve(typed);
            return;
          }
          if (ch === '\u0003' || ch === '\u0004') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            reject(
              usageError('PASSPHRASE_CANCELLED', `cancelled at the ${noun} prompt; nothing was written`),
            );
            return;
          }
          if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
          else typed += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}
