/**
 * `credline derive`: one password (stdout, alone) or a streamed CSV for a file of serials.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  assertAlphabet,
  assertLength,
  assertPolicyEntropy,
  DEFAULT_LENGTH,
  entropyBits,
  resolveAlphabet,
} from '../derive/alphabet.js';
import { createFingerprinter, keyId } from '../derive/key-id.js';
import {
  createPasswordDeriver,
  deriveFirstAccepted,
  MAX_ATTEMPT,
  SCHEME_VERSION,
} from '../derive/password.js';
import { assertProfileId, canonicaliseSerial, type SerialCase } from '../derive/serial.js';
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import { openLineKey } from './open-line-key.js';
import { addPassphraseOptions, assertReadableFile } from './passphrase-options.js';
import { reportExitCode } from './exit-status.js';
import { writeDerivedCsv } from './derived-csv.js';

interface DeriveOptions {
  key: string;
  profileId: string;
  serial?: string;
  serialsFile?: string;
  out?: string;
  force?: boolean;
  attempt?: number;
  alphabet: string;
  length: number;
  serialCase: SerialCase;
  format: 'text' | 'json';
  [option: string]: unknown;
}

function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`${name} must be an integer ${min}..${max}`);
    }
    return Number(value);
  };
}

export function registerDeriveCommand(program: Command): void {
  const cmd = program
    .command('derive')
    .description("derive devices' passwords from their serials (scheme v1, docs/derivation.md)")
    .requiredOption('--key <FILE>', 'sealed line key file (credline keys create)')
    .requiredOption('--profile-id <ID>', 'device profile id, bound into every password')
    .option('--serial <S>', 'one serial: prints its password alone on stdout')
    .option('--serials-file <FILE>', 'one serial per line (LF/CRLF, optional BOM; - for stdin): streams CSV')
    .option('--out <FILE>', 'with --serials-file: write the CSV to FILE (created 0600) instead of stdout')
    .option('--force', 'with --out: replace an existing file')
    .option(
      '--attempt <N>',
      `use exactly attempt N (0..${MAX_ATTEMPT}), as recorded in the evidence`,
      parseInteger('--attempt', 0, MAX_ATTEMPT),
    )
    .option(
      '--alphabet <A>',
      'alphabet name (unambiguous56, digits, hex, alnum62, printable94) or its symbols',
      'unambiguous56',
    )
    .option('--length <N>', 'password length in symbols', parseInteger('--length', 4, 64), DEFAULT_LENGTH)
    .addOption(
      new Option('--serial-case <MODE>', 'serial canonicalisation')
        .choices(['asis', 'upper'])
        .default('asis'),
    )
    .addOption(new Option('--format <F>', 'single-serial output').choices(['text', 'json']).default('text'));
  addPassphraseOptions(cmd, 'passphrase', 'the line key');
  cmd.addHelpText(
    'after',
    `
Examples:
  credline derive --key line.credkey --passphrase-env CREDLINE_PASS --profile-id acme-cam --serial KL2301-100001
  credline derive --key line.credkey --passphrase-file pass.txt --profile-id acme-cam --serial KL2301-100001 --format json
  credline derive --key line.credkey --passphrase-env CREDLINE_PASS --profile-id acme-cam --serials-file serials.txt --out labels.csv

Without --attempt, the first attempt whose stream yields a password is used (almost always 0) and reported.
The CSV (serial,password,key_id,fingerprint,attempt) holds plaintext passwords: keep it like the key.
Bad lines in --serials-file are reported on stderr with their line number and skipped; the exit code is then 1.`,
  );
  cmd.action(async (opts: DeriveOptions) => {
    if ((opts.serial === undefined) === (opts.serialsFile === undefined)) {
      throw new CredlineError('DERIVE_INPUT', 'give exactly one of --serial and --serials-file', {
        exitCode: ExitCode.usage,
      });
    }
    if (opts.out !== undefined && opts.serialsFile === undefined) {
      throw new CredlineError('DERIVE_INPUT', '--out goes with --serials-file', { exitCode: ExitCode.usage });
    }
    const alphabet = resolveAlphabet(opts.alphabet);
    assertProfileId(opts.profileId);
    assertAlphabet(alphabet);
    assertLength(opts.length);
    assertPolicyEntropy(alphabet, opts.length);
    // Check what can be checked before asking for the passphrase.
    if (opts.serial !== undefined) canonicaliseSerial(opts.serial, opts.serialCase);
    if (opts.serialsFile !== undefined && opts.serialsFile !== '-') assertReadableFile(opts.serialsFile);
    const key = await openLineKey(opts.key, opts);
    try {
      const params = {
        profileId: opts.profileId,
        alphabet,
        length: opts.length,
        serialCase: opts.serialCase,
      };
      if (opts.serialsFile !== undefined) {
        const bad = await writeDerivedCsv({
          input: opts.serialsFile,
          out: opts.out,
          force: opts.force === true,
          key,
          params,
          attempt: opts.attempt,
        });
        if (bad > 0) reportExitCode(ExitCode.failed);
        return;
      }
      const derive = createPasswordDeriver(key, params);
      const fingerprintOf = createFingerprinter(key);
      const id = keyId(key);
      const serial = opts.serial ?? '';
      const result =
        opts.attempt === undefined ? deriveFirstAccepted(derive, serial) : derive(serial, opts.attempt);
      if (result.password === null) {
        throw new CredlineError(
          'STREAM_EXHAUSTED',
          `attempt ${result.attempt} yields no password for this serial (stream exhausted)`,
          {
            exitCode: ExitCode.failed,
          },
        );
      }
      if (opts.format === 'json') {
        const bits = entropyBits(alphabet.length, opts.length);
        process.stdout.write(
          `${JSON.stringify(
            {
              serial: result.serial,
              profileId: opts.profileId,
              password: result.password,
              attempt: result.attempt,
              keyId: id,
              fingerprint: fingerprintOf(result.password),
              schemeVersion: SCHEME_VERSION,
              alphabet,
              length: opts.length,
              entropyBits: Math.round(bits * 10) / 10,
            },
            null,
            2,
          )}\n`,
        );
      } else {
        process.stdout.write(`${result.password}\n`);
      }
    } finally {
      key.fill(0);
    }
  });
}
