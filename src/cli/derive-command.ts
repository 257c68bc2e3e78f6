/**
 * `credline derive`: one password (stdout, alone) or a streamed CSV for a file of serials, under the password
 * policy (as the station applies it) unless `--no-policy`.
 */
import { type Command, Option } from 'commander';
import {
  assertAlphabet,
  assertLength,
  assertPolicyEntropy,
  assertProfileId,
  canonicaliseSerial,
  createFingerprinter,
  createPasswordDeriver,
  DEFAULT_LENGTH,
  entropyBits,
  keyId,
  MAX_ATTEMPT,
  MIN_ENTROPY_BITS,
  resolveAlphabet,
  SCHEME_VERSION,
  trimSerial,
  type LineKey,
  type SchemeParams,
  type SerialCase,
} from '../derive/index.js';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { choosePassword, createPasswordPolicy, type PasswordPolicyOptions } from '../policy/index.js';
import {
  identityMismatch,
  loadProfile,
  policyOptionsOf,
  schemeParamsOf,
  type IdentityField,
} from '../profiles/index.js';
import { writeDerivedCsv } from './derived-csv.js';
import { reportExitCode } from './exit-status.js';
import { openLineKey } from './open-line-key.js';
import { addPassphraseOptions, assertReadableFile } from './passphrase-options.js';
import { addTokenOptions } from './token-options.js';
import { integerOption } from './integer-option.js';

interface DeriveOptions {
  key: string;
  profile?: string;
  profileId?: string;
  serial?: string;
  serialsFile?: string;
  out?: string;
  force?: boolean;
  attempt?: number;
  alphabet: string;
  length: number;
  serialCase: SerialCase;
  policy: boolean;
  format: 'text' | 'json';
  [option: string]: unknown;
}

/** The scheme parameters and policy options, from a profile or from the flags; checked before any key is opened. */
function schemeOf(opts: DeriveOptions): {
  params: SchemeParams;
  policy: PasswordPolicyOptions | null;
  serialField: IdentityField | null;
} {
  if ((opts.profile === undefined) === (opts.profileId === undefined)) {
    throw usageError('DERIVE_INPUT', 'give exactly one of --profile and --profile-id');
  }
  if (opts.profile !== undefined) {
    const { profile } = loadProfile(opts.profile);
    const params = schemeParamsOf(profile);
    assertPolicyEntropy(params.alphabet, params.length, profile.passwordPolicy.minEntropyBits);
    return {
      params,
      policy: opts.policy ? policyOptionsOf(profile) : null,
      serialField: profile.identity.serial,
    };
  }
  const profileId = opts.profileId ?? '';
  const alphabet = resolveAlphabet(opts.alphabet);
  assertProfileId(profileId);
  assertAlphabet(alphabet);
  assertLength(opts.length);
  assertPolicyEntropy(alphabet, opts.length);
  const params = { profileId, alphabet, length: opts.length, serialCase: opts.serialCase };
  return {
    params,
    policy: opts.policy ? { alphabet, length: opts.length, minEntropyBits: MIN_ENTROPY_BITS } : null,
    serialField: null,
  };
}

export function registerDeriveCommand(program: Command): void {
  const fromProfile = ['profile'];
  const cmd = program
    .command('derive')
    .description("derive devices' passwords from their serials (scheme v1, docs/derivation.md)")
    .requiredOption(
      '--key <FILE|URI>',
      'sealed line key file (credline keys create), or pkcs11:token=…;object=… for a key in a token',
    )
    .option(
      '--profile <FILE|ID>',
      'device profile: supplies id, alphabet, length, canonicalisation and policy',
    )
    .addOption(
      new Option(
        '--profile-id <ID>',
        'without a profile: the profile id bound into every password',
      ).conflicts(fromProfile),
    )
    .option('--serial <S>', 'one serial: prints its password alone on stdout')
    .option('--serials-file <FILE>', 'one serial per line (LF/CRLF, optional BOM; - for stdin): streams CSV')
    .option('--out <FILE>', 'with --serials-file: write the CSV to FILE (created 0600) instead of stdout')
    .option('--force', 'with --out: replace an existing file')
    .option(
      '--attempt <N>',
      `use exactly attempt N (0..${MAX_ATTEMPT}), as the evidence records it`,
      integerOption('--attempt', 0, MAX_ATTEMPT),
    )
    .addOption(
      new Option(
        '--alphabet <A>',
        'without a profile: alphabet name (unambiguous56, digits, hex, alnum62, printable94) or its symbols',
      )
        .default('unambiguous56')
        .conflicts(fromProfile),
    )
    .addOption(
      new Option('--length <N>', 'without a profile: password length in symbols')
        .argParser(integerOption('--length', 4, 64))
        .default(DEFAULT_LENGTH)
        .conflicts(fromProfile),
    )
    .addOption(
      new Option('--serial-case <MODE>', 'without a profile: serial canonicalisation')
        .choices(['asis', 'upper'])
        .default('asis')
        .conflicts(fromProfile),
    )
    .option(
      '--no-policy',
      'derive the bare scheme: the first attempt with a candidate, without the password policy',
    )
    .addOption(new Option('--format <F>', 'single-serial output').choices(['text', 'json']).default('text'));
  addPassphraseOptions(cmd, 'passphrase', 'the line key');
  addTokenOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  credline derive --key line.ckey --profile credline-agent --serial KL2301-100001
  credline derive --key line.ckey --passphrase-env CREDLINE_PASS --profile-id acme-cam --serial KL2301-100001 --format json
  credline derive --key line.ckey --passphrase-file pass.txt --profile u-boot --serials-file serials.txt --out labels.csv
  credline derive --key 'pkcs11:token=line3;object=line-key' --pkcs11-module /usr/lib/softhsm/libsofthsm2.so \
    --pin-env LINE3_PIN --profile u-boot --serial KL2301-100001

The password policy (docs/audit.md) is applied as the station applies it: a rejected candidate moves to the next
attempt, and the attempt used is reported. The policy here sees only the serial; the station also sees the MAC and
firmware, so for a provisioned device the evidence's attempt is authoritative: re-derive it with --attempt N.
The CSV (serial,password,key_id,fingerprint,attempt) holds plaintext passwords: keep it like the key.
Bad lines in --serials-file are reported on stderr with their line number and skipped; the exit code is then 1.`,
  );
  cmd.action(async (opts: DeriveOptions) => {
    if ((opts.serial === undefined) === (opts.serialsFile === undefined)) {
      throw usageError('DERIVE_INPUT', 'give exactly one of --serial and --serials-file');
    }
    if (opts.out !== undefined && opts.serialsFile === undefined) {
      throw usageError('DERIVE_INPUT', '--out goes with --serials-file');
    }
    const { params, policy, serialField } = schemeOf(opts);
    // Check what can be checked before asking for the passphrase.
    if (opts.serial !== undefined) {
      canonicaliseSerial(opts.serial, params.serialCase);
      const refused = serialField && identityMismatch('serial', serialField, trimSerial(opts.serial));
      if (refused) throw usageError('SERIAL_INVALID', refused);
    }
    if (opts.serialsFile !== undefined && opts.serialsFile !== '-') assertReadableFile(opts.serialsFile);
    const handle = await openLineKey(opts.key, opts);
    try {
      if (opts.serialsFile !== undefined) {
        const job = {
          input: opts.serialsFile,
          out: opts.out,
          force: opts.force === true,
          attempt: opts.attempt,
        };
        const bad = await writeDerivedCsv({ ...job, key: handle.shared, params, policy, serialField });
        if (bad > 0) reportExitCode(ExitCode.failed);
        return;
      }
      printOne(handle.key, params, policy, opts.serial ?? '', opts.attempt, opts.format);
    } finally {
      handle.close();
    }
  });
}

function printOne(
  key: LineKey,
  params: SchemeParams,
  policyOptions: PasswordPolicyOptions | null,
  serial: string,
  attempt: number | undefined,
  format: 'text' | 'json',
): void {
  const derive = createPasswordDeriver(key, params);
  const policy = policyOptions === null ? null : createPasswordPolicy(policyOptions);
  const chosen =
    attempt === undefined
      ? choosePassword(derive, policy, { serial })
      : { ...derive(serial, attempt), verdict: null, rejections: [] };
  const { password } = chosen;
  if (password === null) {
    const why = chosen.rejections.map((r) => `attempt ${r.attempt}: ${r.rule}`).join('; ');
    throw new CredlineError('NO_ACCEPTABLE_PASSWORD', `no acceptable password for this serial (${why})`, {
      exitCode: ExitCode.failed,
    });
  }
  const verdict = chosen.verdict ?? policy?.check(password, { serial: chosen.serial }) ?? null;
  if (attempt !== undefined && verdict !== null && !verdict.accepted) {
    process.stderr.write(
      `credline: note: the policy rejects attempt ${attempt} (${verdict.rule}): the station would not use it\n`,
    );
  }
  if (format === 'text') {
    process.stdout.write(`${password}\n`);
    return;
  }
  const result = {
    serial: chosen.serial,
    profileId: params.profileId,
    password,
    attempt: chosen.attempt,
    keyId: keyId(key),
    fingerprint: createFingerprinter(key)(password),
    schemeVersion: SCHEME_VERSION,
    alphabet: params.alphabet,
    length: params.length,
    entropyBits: Math.round(entropyBits(params.alphabet.length, params.length) * 10) / 10,
    ...(verdict === null
      ? { policy: 'not applied' }
      : {
          policyAccepted: verdict.accepted,
          zxcvbnScore: verdict.zxcvbnScore,
          log10Guesses: Math.round(verdict.log10Guesses * 100) / 100,
        }),
    rejections: chosen.rejections,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
