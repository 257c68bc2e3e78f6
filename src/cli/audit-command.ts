/**
 * `credline audit`: judges a batch of default passwords against each rule of PSTI Sch. 1 para 1, from a CSV or
 * from what credline would derive for a file of serials. Parsing and printing only; the work is in src/audit/.
 */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import {
  AUDIT_DEFAULTS,
  deriveBatchFromSerials,
  readCsvBatch,
  renderHtmlReport,
  renderTextReport,
  reportToJson,
  runAudit,
  type AuditAccountable,
  type AuditBatch,
  type AuditInput,
  type AuditOptions,
} from '../audit/index.js';
import {
  assertAlphabet,
  assertLength,
  assertProfileId,
  DEFAULT_LENGTH,
  resolveAlphabet,
  type SerialCase,
} from '../derive/index.js';
import { auditDutyOf, dutyOwnerOf, type ProductRecord } from '../compliance/index.js';
import { usageError } from '../errors/credline-error.js';
import { printable } from '../errors/printable.js';
import { createPasswordPolicy } from '../policy/index.js';
import { loadProfile, policyOptionsOf } from '../profiles/index.js';
import { loadProduct } from './compliance/product-source.js';
import { reportExitCode } from './exit-status.js';
import { followSteps, startProgress, type Progress } from '../progress/index.js';
import { openSecretOutput } from './secret-output.js';
import { CREDLINE_VERSION } from './version.js';
import { openLineKey } from './open-line-key.js';
import { addTokenOptions } from './token-options.js';
import { addPassphraseOptions } from './passphrase-options.js';
import { integerOption } from './integer-option.js';

interface AuditCliOptions {
  passwordColumn?: string;
  identifierColumns?: string;
  derive?: boolean;
  withPolicy?: boolean;
  key?: string;
  serialsFile?: string;
  profile?: string;
  profileId?: string;
  alphabet?: string;
  length?: number;
  serialCase?: SerialCase;
  minScore?: number;
  minEntropyBits?: number;
  minLength?: number;
  manufacturer?: string;
  brand?: string;
  model?: string;
  format: 'text' | 'json';
  html?: string;
  force?: boolean;
  delimiter?: string;
  showPasswords?: boolean;
  sampleSize?: number;
  seed?: number;
  workers?: number;
  rowTimeLimitMs?: number;
  product?: string;
  db?: string;
  [option: string]: unknown;
}

export function registerAuditCommand(program: Command): void {
  const cmd = program
    .command('audit')
    .description('audit a batch of default passwords against PSTI Sch. 1 para 1 (exit 1 when a rule fails)')
    .argument('[csv]', 'CSV file with a header row (password and identifier columns)')
    .option(
      '--password-column <NAME>',
      'the password column (default: auto-detect password, psk, wifi_key, ...)',
    )
    .option(
      '--identifier-columns <LIST>',
      'comma-separated identifier columns (default: auto-detect serial, mac, imei, ssid and usual names)',
    )
    .option('--derive', 'audit what credline would derive (attempt 0) for --serials-file; nothing is written')
    .option(
      '--with-policy',
      'with --derive: the attempt the policy accepts, as the station chooses (~1 ms a serial)',
    )
    .option('--key <FILE|URI>', 'with --derive: the sealed line key, or pkcs11:… for a key in a token')
    .option('--serials-file <FILE>', 'with --derive: one serial per line')
    .option('--profile <P>', 'device profile (path or shipped id): scheme parameters, thresholds and names')
    .option('--profile-id <ID>', 'with --derive and no --profile: the profile id bound into passwords')
    .option(
      '--alphabet <A>',
      'with --derive and no --profile: alphabet name or symbols (default unambiguous56)',
    )
    .option(
      '--length <N>',
      `with --derive and no --profile: length (default ${DEFAULT_LENGTH})`,
      integerOption('--length', 4, 64),
    )
    .addOption(
      new Option('--serial-case <MODE>', 'with --derive and no --profile').choices(['asis', 'upper']),
    )
    .option(
      '--min-score <N>',
      `minimum zxcvbn score (default ${AUDIT_DEFAULTS.minZxcvbnScore})`,
      integerOption('--min-score', 0, 4),
    )
    .option(
      '--min-entropy-bits <N>',
      `minimum entropy in bits (default ${AUDIT_DEFAULTS.minEntropyBits})`,
      integerOption('--min-entropy-bits', 0, 512),
    )
    .option(
      '--min-length <N>',
      `minimum length (default ${AUDIT_DEFAULTS.minLength})`,
      integerOption('--min-length', 1, 1024),
    )
    .option(
      '--product <PRODUCT>',
      "the product the batch is of (record file, or an id stored in --db): its names, and on a FAIL its audit duty's owner and escalation point",
    )
    .option('--db <FILE>', 'with --product: the evidence database holding the product record')
    .option('--manufacturer <NAME>', 'manufacturer name (public information)')
    .option('--brand <NAME>', 'brand name (public information)')
    .option('--model <NAME>', 'model or product name (public information)')
    .addOption(new Option('--format <F>', 'summary format').choices(['text', 'json']).default('text'))
    .option('--html <FILE>', 'also write a self-contained HTML report to FILE (0600)')
    .option('--force', 'with --html: replace an existing file')
    .option(
      '--delimiter <C>',
      'the CSV field delimiter, e.g. ";" (default: detected from the header: comma, semicolon or TAB)',
    )
    .option('--show-passwords', 'show example passwords in full (default: first and last character only)')
    .option(
      '--sample-size <N>',
      `rows zxcvbn scores at random (default ${AUDIT_DEFAULTS.zxcvbnSampleSize})`,
      integerOption('--sample-size', 0, 10_000_000),
    )
    .option(
      '--seed <N>',
      `seed of the random samples (default ${AUDIT_DEFAULTS.seed})`,
      integerOption('--seed', 0, 2 ** 31),
    )
    .option(
      '--workers <N>',
      `zxcvbn worker threads (default ${AUDIT_DEFAULTS.workers})`,
      integerOption('--workers', 1, 64),
    )
    .option(
      '--row-time-limit-ms <N>',
      `zxcvbn time limit per row (default ${AUDIT_DEFAULTS.rowTimeLimitMs})`,
      integerOption('--row-time-limit-ms', 10, 60_000),
    );
  addPassphraseOptions(cmd, 'passphrase', 'the line key');
  addTokenOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  credline audit supplier.csv --manufacturer Acme --model "KL-2301" --html report.html
  credline audit batch.csv --password-column wifi_key --identifier-columns serial,mac --format json
  credline audit --derive --key line.credkey --passphrase-env CREDLINE_PASS --profile u-boot --serials-file serials.txt
  credline audit supplier.csv --product acme-cam --db line3.db    # a FAIL names the duty's owner and escalation

Rules: unique 1(2)(a), counter 1(3)(a), public-info 1(3)(b), identifier-derived 1(3)(c), guessable 1(3)(d).
Exit 0 when every rule passes; 1 when a rule fails or rows are malformed (not audited); 2 on usage errors.
Docs: docs/audit.md (rules, thresholds, chance models, data sources).`,
  );
  cmd.action(async (csv: string | undefined, opts: AuditCliOptions) => {
    await runAuditCommand(csv, opts);
  });
}

async function runAuditCommand(csv: string | undefined, opts: AuditCliOptions): Promise<void> {
  const loaded = opts.profile === undefined ? undefined : loadProfile(opts.profile);
  const profile = loaded?.profile;
  if (opts.db !== undefined && opts.product === undefined) {
    throw usageError('AUDIT_USAGE', '--db is read for --product: give --product ID with it');
  }
  const record = opts.product === undefined ? undefined : loadProduct(opts.product, { db: opts.db });
  if (opts.html !== undefined && opts.force !== true && existsSync(opts.html)) {
    // Refused before the audit runs, not after it.
    throw usageError('AUDIT_OUTPUT', `cannot write ${opts.html}: it exists (use --force to replace it)`);
  }
  let input: { batch: AuditBatch; malformed: { line: number; message: string }[]; input: AuditInput };
  // Progress on a terminal (stderr); with --derive, only once the passphrase prompt is over.
  const quiet = opts.format === 'json';
  let progress: Progress | undefined;
  if (opts.derive) {
    if (csv !== undefined) throw usageError('AUDIT_USAGE', 'give either a CSV file or --derive, not both');
    if (!opts.key || !opts.serialsFile)
      throw usageError('AUDIT_USAGE', '--derive needs --key and --serials-file');
    const profileId = profile?.id ?? opts.profileId;
    if (!profileId) throw usageError('AUDIT_USAGE', '--derive needs --profile or --profile-id');
    assertProfileId(profileId);
    const alphabet = profile?.passwordPolicy.alphabet ?? resolveAlphabet(opts.alphabet ?? 'unambiguous56');
    const length = profile?.passwordPolicy.length ?? opts.length ?? DEFAULT_LENGTH;
    assertAlphabet(alphabet);
    assertLength(length);
    const handle = await openLineKey(opts.key, opts);
    try {
      const serialCase = profile?.canonicalisation.serialCase ?? opts.serialCase ?? 'asis';
      const policy = opts.withPolicy
        ? createPasswordPolicy({
            ...(profile ? policyOptionsOf(profile) : { alphabet, length }),
            ...definedOnly({
              minZxcvbnScore: opts.minScore,
              minEntropyBits: opts.minEntropyBits,
              minLength: opts.minLength,
              manufacturer: opts.manufacturer,
              brand: opts.brand,
              model: opts.model,
            }),
          })
        : null;
      const params = { profileId, alphabet, length, serialCase };
      const serialField = profile?.identity.serial ?? null;
      const derived = deriveBatchFromSerials(handle.key, params, opts.serialsFile, policy, serialField);
      const source = printable(`derived from ${opts.serialsFile} (profile ${profileId})`, 400);
      input = { ...derived, input: { ...derived.input, source } };
    } finally {
      handle.close();
    }
  } else {
    if (csv === undefined)
      throw usageError('AUDIT_USAGE', 'give a CSV file, or --derive with --key and --serials-file');
    const identifierColumns = opts.identifierColumns
      ?.split(',')
      .map((c) => c.trim())
      .filter((c) => c.length > 0);
    let readKb = 0;
    progress = startProgress(`reading ${printable(csv, 60)}`, { unit: 'kB', quiet });
    const read = await readCsvBatch(
      csv,
      {
        ...(opts.passwordColumn !== undefined ? { passwordColumn: opts.passwordColumn } : {}),
        ...(identifierColumns !== undefined ? { identifierColumns } : {}),
        ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
      },
      (bytes, totalBytes) => {
        if (readKb === 0) progress?.stage(`reading ${printable(csv, 60)}`, Math.ceil(totalBytes / 1000));
        const kb = Math.floor(bytes / 1000);
        progress?.advance(kb - readKb);
        readKb = kb;
      },
    ).finally(() => progress?.end());
    input = {
      batch: read.batch,
      malformed: read.malformed,
      input: { ...read.input, source: printable(csv, 400) },
    };
  }

  const options: AuditOptions = {
    minZxcvbnScore: opts.minScore ?? profile?.passwordPolicy.minZxcvbnScore,
    minEntropyBits: opts.minEntropyBits ?? profile?.passwordPolicy.minEntropyBits,
    minLength: opts.minLength,
    manufacturer: opts.manufacturer ?? record?.manufacturers?.[0]?.name ?? profile?.product.manufacturer,
    brand: opts.brand ?? record?.product?.brand,
    model: opts.model ?? record?.product?.model ?? profile?.product.model,
    zxcvbnSampleSize: opts.sampleSize,
    seed: opts.seed,
    workers: opts.workers,
    rowTimeLimitMs: opts.rowTimeLimitMs,
  };
  const rows = input.batch.passwords.length.toLocaleString('en-GB');
  const auditing = startProgress(`auditing ${rows} rows`, { unit: 'rows', quiet });
  let rule = '';
  const report = await runAudit(input.batch, options, {
    stage(name, index, count) {
      rule = `auditing ${rows} rows: ${name} (${index + 1}/${count})`;
      auditing.stage(rule);
    },
    step: followSteps(auditing, (step) => `${rule}, ${step}`),
  }).finally(() => auditing.end());
  report.malformed = input.malformed;
  const showPasswords = opts.showPasswords === true;
  const settings = {
    ...AUDIT_DEFAULTS,
    ...definedOnly(options),
    identifiers: Object.keys(input.batch.identifiers),
    ...(opts.derive ? { derivedAttempt: opts.withPolicy ? 'first accepted by the policy' : 0 } : {}),
  };
  const context = {
    input: input.input,
    showPasswords,
    version: CREDLINE_VERSION,
    ...(record ? { accountable: accountableFor(record, opts.derive === true) } : {}),
  };
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify(reportToJson(report, { ...context, settings }), null, 2)}\n`);
  } else {
    process.stdout.write(renderTextReport(report, context));
  }
  if (opts.html) {
    const html = renderHtmlReport(report, { ...context, generatedAt: new Date().toISOString(), settings });
    const out = await openSecretOutput(opts.html, opts.force === true);
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(html, () => resolve());
    });
  }
  if (!report.passed || input.malformed.length > 0) reportExitCode(1);
}

/** The audit duty of the product, with the owner and escalation point its record names (if it names them). */
function accountableFor(record: ProductRecord, derived: boolean): AuditAccountable | undefined {
  const duty = auditDutyOf(record, { derived });
  const owner = dutyOwnerOf(record, duty);
  return owner && { product: record.id, duty, owner: owner.owner, escalation: owner.escalation };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
