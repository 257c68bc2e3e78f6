/** `credline pack`: the auditor-ready evidence pack of a batch, as a folder or a zip. */
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { usageError } from '../../errors/credline-error.js';
import { printable } from '../../errors/printable.js';
import { followSteps, startProgress } from '../../progress/index.js';
import { buildEvidencePack, writePackDirectory, writePackZip } from '../../compliance/index.js';
import { reportExitCode } from '../exit-status.js';
import { openLineKey } from '../open-line-key.js';
import { addTokenOptions } from '../token-options.js';
import { addPassphraseOptions } from '../passphrase-options.js';

interface PackOptions {
  batch: string;
  db: string;
  out: string;
  profile?: string;
  serialFrom?: string;
  serialTo?: string;
  since?: string;
  until?: string;
  markFailures?: boolean;
  key?: string;
  statement?: string;
  orderReport: string[];
}

export function registerPackCommand(program: Command): void {
  const command = program
    .command('pack')
    .description(
      "evidence pack for a batch: statement, the batch's events, uniqueness, profile and hash, key ids, chain " +
        'head, verify result, SHA-256 manifest and a README for auditors',
    )
    .requiredOption('--batch <BATCH>', 'batch id')
    .requiredOption('--db <FILE>', 'evidence database')
    .requiredOption('--out <DIR|FILE.zip>', 'a new folder, or a .zip file')
    .option(
      '--profile <PROFILE>',
      "the batch's device profile (file or shipped id; default the batch's profile id)",
    )
    .option(
      '--serial-from <SERIAL>',
      'restrict to serials from this one (inclusive), e.g. for an information notice',
    )
    .option('--serial-to <SERIAL>', 'restrict to serials up to this one (inclusive)')
    .option('--since <ISO>', 'restrict to records from this time (ISO-8601 UTC)')
    .option('--until <ISO>', 'restrict to records up to this time (ISO-8601 UTC)')
    .option('--statement <ID>', 'the statement of the batch to carry (default the latest), by its id')
    .option('--mark-failures', 'build the pack even if evidence verify fails, marked VERIFY FAILED (exit 1)')
    .option(
      '--order-report <FILE>',
      "a work order's signed report (provision --order writes it): checked against the store and carried in the pack (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      '--key <FILE|URI>',
      'sealed line key (or pkcs11:… in a token): re-derive the batch in memory and audit every para 1 rule',
    );
  addTokenOptions(command);
  addPassphraseOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  credline pack --db line1.db --batch B-0042 --out B-0042-pack.zip\n' +
        '  credline pack --db line1.db --batch B-0042 --serial-from KL2301-100000 --serial-to KL2301-100499 --out opss/',
    )
    .action(async (opts: PackOptions) => {
      const lineKey = opts.key
        ? await openLineKey(opts.key, opts as unknown as Record<string, unknown>)
        : undefined;
      const progress = startProgress(`packing batch ${printable(opts.batch, 60)}`, { unit: 'records' });
      const pack = await buildEvidencePack({
        lineKey: lineKey?.key,
        dbFile: opts.db,
        batchId: opts.batch,
        profile: opts.profile,
        serialFrom: opts.serialFrom,
        serialTo: opts.serialTo,
        since: opts.since,
        until: opts.until,
        markFailures: opts.markFailures,
        orderReports: opts.orderReport,
        statementId: opts.statement === undefined ? undefined : parseStatementId(opts.statement),
        onProgress: followSteps(progress, (step) => `packing batch ${printable(opts.batch, 60)}: ${step}`),
      }).finally(() => {
        progress.end();
        lineKey?.close();
      });
      if (/\.zip$/i.test(opts.out)) await writePackZip(opts.out, pack.files, pack.generatedAt);
      else writePackDirectory(opts.out, pack.files);
      process.stdout.write(`wrote evidence pack ${opts.out} (${pack.files.length} files)\n`);
      const sums = pack.files.find((f) => f.name === 'SHA256SUMS');
      if (sums) {
        process.stdout.write(
          `  SHA-256 of SHA256SUMS: ${createHash('sha256').update(sums.data).digest('hex')} (send it to the auditor separately)\n`,
        );
      }
      process.stdout.write(
        `  uniqueness: ${pack.uniqueness.devices} devices, ${pack.uniqueness.distinctFingerprints} distinct fingerprints: ` +
          `${pack.uniqueness.passed ? 'PASS' : 'FAIL'} (${pack.uniqueness.scope})\n`,
      );
      if (pack.audit) {
        const others = pack.audit.notReDerived.map((k) => `${k.devices} under key ${k.keyId}`).join(', ');
        process.stdout.write(
          `  audit (re-derived with the line key): ${pack.audit.passed ? 'PASS' : 'FAIL'}, ` +
            `${pack.audit.fingerprintMismatches.length} fingerprint mismatch(es); ${pack.audit.devices} devices under key ` +
            `${pack.audit.keyId}${others ? `; not re-derived, so not audited: ${others}` : ''}\n`,
        );
      } else {
        process.stdout.write(
          '  audit: fingerprint uniqueness only (give --key to re-derive and audit every rule)\n',
        );
      }
      process.stdout.write(`  evidence verify: ${pack.verified ? 'OK' : 'FAILED (pack marked)'}\n`);
      for (const f of pack.files.filter((file) => /^orders\/.+\.report\.json$/.test(file.name)))
        process.stdout.write(`  order report: ${f.name} (signature and every figure match the store)\n`);
      if (!pack.verified || !pack.uniqueness.passed || pack.audit?.passed === false) reportExitCode(1);
    });
}

function parseStatementId(text: string): number {
  if (!/^[1-9]\d*$/.test(text))
    throw usageError('STATEMENT_ID_INVALID', `--statement ${text}: expected a statement id`);
  return Number(text);
}
