/**
 * `credline keys create|import|info|passwd`: sealed line keys and station signing keys. Parsing and printing only;
 * the work is in src/keys. Nothing here prints a key byte or a passphrase.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  type KeyFileHeader,
  type KeyKind,
  type ScryptCost,
  SCRYPT_LIMITS,
  assertNewPassphrase,
  assertWritableTarget,
  createKeyFile,
  readHexKeyFile,
  readKeyFileHeader,
  isPkcs11Uri,
  readRawKeyFile,
  resealKeyFile,
  testKeyReason,
} from '../keys/index.js';
import { usageError } from '../errors/credline-error.js';
import {
  TOKEN_EXAMPLES,
  addTokenTarget,
  createKeyInToken,
  importKeyIntoToken,
  showTokenKeyInfo,
} from './keys-token-commands.js';
import {
  type PassphraseSource,
  addPassphraseOptions,
  hasPassphraseOption,
  passphraseSource,
  readPassphrase,
  warnIfExposed,
} from './passphrase-options.js';
import { openSealedKey } from './open-line-key.js';
import { addTokenOptions } from './token-options.js';

interface SealOptions {
  out?: string;
  label?: string;
  kind: KeyKind;
  force?: boolean;
  scryptLogN?: number;
  demo?: boolean;
}

interface ImportOptions {
  hexFile?: string;
  rawFile?: string;
  keyFile?: string;
  pkcs11?: string;
}

export function registerKeysCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description('create and manage sealed key files (line keys and station signing keys)')
    .addHelpText(
      'after',
      '\nA key file holds one 32-byte secret sealed with scrypt and XChaCha20-Poly1305 under a passphrase;\n' +
        'its header (key id, label, creation time, KDF parameters) is public and authenticated.\n' +
        'Format and threat model: docs/keystore.md.',
    );
  registerCreate(keys);
  registerImport(keys);
  registerInfo(keys);
  registerPasswd(keys);
}

function registerCreate(keys: Command): void {
  const cmd = keys
    .command('create')
    .description('create a new random key, sealed under a passphrase (or generated in a PKCS#11 token)')
    .option('--out <FILE>', 'the key file to write (mode 0600)')
    .option('--label <TEXT>', 'a public label stored in the header, e.g. "Line 3, 2026"')
    .addOption(kindOption())
    .option(
      '--demo',
      'mark it a demo key (authenticated in the header): credline provision refuses it unless --allow-test-key',
    )
    .option('--force', 'replace FILE if it exists')
    .addOption(scryptLogNOption());
  addPassphraseOptions(cmd);
  addTokenTarget(cmd, 'generate');
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ credline keys create --out line-3.ckey --label "Line 3"          (asks for the passphrase twice)\n' +
        TOKEN_EXAMPLES.create +
        '  $ credline keys create --out demo.ckey --demo --label "training bench"\n' +
        '  $ credline keys create --out line-3.ckey --passphrase-file pass.txt\n' +
        '  $ CREDLINE_PASS=... credline keys create --out station-7.ckey --kind station --passphrase-env CREDLINE_PASS',
    )
    .action(async (opts: SealOptions & { pkcs11?: string } & Record<string, unknown>) => {
      if (opts.pkcs11 !== undefined) return createKeyInToken(opts.pkcs11, opts);
      if (opts.out === undefined) throw usageError('KEY_OUT', 'give --out FILE (or --pkcs11 URI)');
      assertWritableTarget(opts.out, opts.force ?? false);
      const passphrase = await readNewPassphrase(passphraseSource(opts), 'passphrase', opts.out);
      const header = await createKeyFile(opts.out, {
        kind: opts.kind,
        passphrase,
        label: opts.label ?? '',
        force: opts.force ?? false,
        kdf: scryptCost(opts.scryptLogN),
        demo: opts.demo ?? false,
      });
      printWritten('created', opts.out, header);
    });
}

function registerImport(keys: Command): void {
  const cmd = keys
    .command('import')
    .description('seal an existing 32-byte key (from escrow or another system) into a key file or a token')
    .option('--out <FILE>', 'the key file to write (mode 0600)')
    .addOption(new Option('--hex-file <F>', 'read the key as 64 hex digits from F').conflicts('rawFile'))
    .addOption(new Option('--raw-file <F>', 'read the key as exactly 32 raw bytes from F'))
    .option('--label <TEXT>', 'a public label stored in the header')
    .addOption(kindOption())
    .option('--force', 'replace FILE if it exists')
    .addOption(scryptLogNOption());
  addPassphraseOptions(cmd);
  addTokenTarget(cmd, 'import');
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ credline keys import --out line-3.ckey --hex-file escrow-line-3.txt --label "Line 3 (escrow)"\n' +
        TOKEN_EXAMPLES.import +
        '  $ credline keys import --out line-3.ckey --raw-file line-3.bin --passphrase-env CREDLINE_PASS\n' +
        'The hex file may end with a newline; shred the plaintext copy once the sealed file is checked.',
    )
    .action(async (opts: SealOptions & ImportOptions & Record<string, unknown>) => {
      const readSecret = (): Uint8Array =>
        opts.hexFile !== undefined ? readHexKeyFile(opts.hexFile) : readRawKeyFile(opts.rawFile ?? '');
      if (opts.hexFile === undefined && opts.rawFile === undefined && opts.keyFile === undefined) {
        throw usageError('KEY_IMPORT_SOURCE', 'give the key with --hex-file F or --raw-file F');
      }
      if (opts.pkcs11 !== undefined) return importKeyIntoToken(opts.pkcs11, opts, readSecret);
      if (opts.out === undefined) throw usageError('KEY_OUT', 'give --out FILE (or --pkcs11 URI)');
      if (opts.keyFile !== undefined) throw usageError('KEY_IMPORT_SOURCE', '--key-file goes with --pkcs11');
      assertWritableTarget(opts.out, opts.force ?? false);
      const secret = readSecret();
      try {
        const out = opts.out;
        const passphrase = await readNewPassphrase(passphraseSource(opts), 'passphrase', out);
        const header = await createKeyFile(out, {
          kind: opts.kind,
          passphrase,
          label: opts.label ?? '',
          secret,
          force: opts.force ?? false,
          kdf: scryptCost(opts.scryptLogN),
        });
        printWritten('imported', out, header);
      } finally {
        secret.fill(0);
      }
    });
}

function registerInfo(keys: Command): void {
  const cmd = keys
    .command('info')
    .description(
      "show a key file's public header (or a token key's); with a passphrase, prove it opens the file",
    )
    .argument('<FILE|URI>', 'the key file, or pkcs11:token=…;object=… for a key in a token')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
    .option('--check-passphrase', 'ask for the passphrase and check that it opens the file');
  addPassphraseOptions(cmd);
  addTokenOptions(cmd);
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ credline keys info line-3.ckey\n' +
        TOKEN_EXAMPLES.info +
        '  $ credline keys info line-3.ckey --check-passphrase            (asks for it)\n' +
        '  $ credline keys info station-7.ckey --format json --passphrase-file pass.txt\n' +
        'Prints nothing secret. Exit 2 if the file is unreadable, altered, or the passphrase does not open it.',
    )
    .action(
      async (
        file: string,
        opts: { format: 'text' | 'json'; checkPassphrase?: boolean } & Record<string, unknown>,
      ) => {
        if (isPkcs11Uri(file)) return showTokenKeyInfo(file, opts, opts.format === 'json');
        const source = passphraseSource(opts);
        let header = readKeyFileHeader(file);
        let checked = false;
        if (opts.checkPassphrase || hasPassphraseOption(source)) {
          const opened = await openSealedKey(file, opts, { prompt: `Passphrase for ${file}: ` });
          opened.secret.fill(0);
          header = opened.header;
          checked = true;
        } else {
          warnIfExposed(file, 'key file');
        }
        process.stdout.write(
          opts.format === 'json'
            ? formatInfoJson(file, header, checked)
            : formatInfoText(file, header, checked),
        );
      },
    );
}

function registerPasswd(keys: Command): void {
  const cmd = keys
    .command('passwd')
    .description("change a key file's passphrase (same key and key id; new salt and nonce)")
    .argument('<FILE>', 'the key file (replaced atomically)')
    .addOption(scryptLogNOption("default: keep the file's current cost"));
  addPassphraseOptions(cmd, 'passphrase', 'the key file (the current one)');
  addPassphraseOptions(cmd, 'new-passphrase', 'the key file (the new one)');
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ credline keys passwd line-3.ckey                         (asks for the current one, then the new one twice)\n' +
        '  $ credline keys passwd line-3.ckey --passphrase-file old.txt --new-passphrase-file new.txt',
    )
    .action(async (file: string, opts: { scryptLogN?: number } & Record<string, unknown>) => {
      readKeyFileHeader(file); // report a missing or damaged file before asking for anything
      const newSource = passphraseSource(opts, 'new-passphrase');
      // A new passphrase given by option is checked before the slow unseal; a prompted one is asked for only
      // once the current passphrase has been proved.
      let newPassphrase: string | undefined;
      if (hasPassphraseOption(newSource)) {
        newPassphrase = await readNewPassphrase(newSource, 'new-passphrase', file);
        assertNewPassphrase(newPassphrase);
      }
      const opened = await openSealedKey(file, opts, { prompt: `Current passphrase for ${file}: ` });
      try {
        newPassphrase ??= await readNewPassphrase(newSource, 'new-passphrase', file);
        const header = await resealKeyFile(file, opened, newPassphrase, { kdf: scryptCost(opts.scryptLogN) });
        printWritten('re-sealed', file, header);
      } finally {
        opened.secret.fill(0);
      }
    });
}

async function readNewPassphrase(source: PassphraseSource, prefix: string, file: string): Promise<string> {
  return readPassphrase(source, {
    prompt: `New passphrase for ${file} (at least 8 characters): `,
    confirm: true,
    optionPrefix: prefix,
  });
}

const KIND_NAMES: Record<KeyKind, string> = {
  line: 'line key',
  station: 'station signing key (Ed25519)',
  order: 'work-order signing key (Ed25519)',
};

function kindOption(): Option {
  return new Option(
    '--kind <KIND>',
    "line: a line key for password derivation; station: the station's Ed25519 signing key; order: the product owner's Ed25519 work-order signing key",
  )
    .choices(['line', 'station', 'order'])
    .default('line');
}

function scryptLogNOption(defaultText = `default: ${SCRYPT_LIMITS.minLogN}`): Option {
  return new Option(
    '--scrypt-log-n <N>',
    `scrypt cost N = 2^N, ${SCRYPT_LIMITS.minLogN}..${SCRYPT_LIMITS.maxLogN}; each step doubles time and memory (${defaultText})`,
  ).argParser(parseLogN);
}

function parseLogN(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < SCRYPT_LIMITS.minLogN || n > SCRYPT_LIMITS.maxLogN) {
    throw new InvalidArgumentError(`expected an integer ${SCRYPT_LIMITS.minLogN}..${SCRYPT_LIMITS.maxLogN}`);
  }
  return n;
}

function scryptCost(logN: number | undefined): Partial<ScryptCost> {
  return logN === undefined ? {} : { N: 2 ** logN };
}

function printWritten(verb: string, file: string, header: KeyFileHeader): void {
  const what = KIND_NAMES[header.kind].replace(' (Ed25519)', '');
  const lines = [`${verb} ${what} ${header.keyId} in ${file}`];
  if (header.publicKey !== undefined) lines.push(`public key ${header.publicKey}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function describeKdf(header: KeyFileHeader): string {
  const { N, r, p } = header.kdf;
  const memoryMiB = (128 * N * r) / 2 ** 20;
  return `scrypt N=2^${Math.log2(N)} r=${r} p=${p} (${memoryMiB} MiB), salt ${header.kdf.salt.length / 2} bytes`;
}

function formatInfoText(file: string, header: KeyFileHeader, checked: boolean): string {
  const test = testKeyReason(header);
  const rows: Array<[string, string]> = [
    ['file', file],
    ['kind', KIND_NAMES[header.kind]],
    ['key id', header.keyId],
    ['label', `${header.label === '' ? '(none)' : header.label} ${checked ? '(verified)' : UNVERIFIED}`],
    ['created', header.createdAt],
    [
      'test key',
      test === undefined ? 'no' : `yes: ${test}; credline provision refuses it unless --allow-test-key`,
    ],
    ['kdf', describeKdf(header)],
    ['cipher', 'xchacha20-poly1305, header authenticated'],
  ];
  if (header.publicKey !== undefined) rows.push(['public key', header.publicKey]);
  rows.push(['passphrase', checked ? 'opens this file (checked)' : 'not checked (use --check-passphrase)']);
  return rows.map(([k, v]) => `${`${k}:`.padEnd(12)}${v}\n`).join('');
}

function formatInfoJson(file: string, header: KeyFileHeader, checked: boolean): string {
  const test = testKeyReason(header);
  return `${JSON.stringify({ file, ...header, passphraseChecked: checked, ...(test ? { testKey: test } : {}) })}\n`;
}

/**
 * Until the passphrase opens the file, its header (label, key id, demo flag) is only what the file says: anyone
 * who can write the file can change it, and only unsealing proves it was not.
 */
const UNVERIFIED = '(unverified until the passphrase is given: --check-passphrase)';
