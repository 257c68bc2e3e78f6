/** `credline evidence retention`: what is held and until when (regulations 8 and 9). Nothing deletes evidence. */
import { type Command, Option } from 'commander';
import { listRetention, readComplianceStore } from '../../compliance/index.js';
import { usageError } from '../../errors/credline-error.js';
import { withCentralReader } from '../central-option.js';

/**
 * Adds `retention` to the `evidence` command group (registered by cli/evidence-commands.ts), or registers a
 * top-level `evidence` group holding it when there is none.
 */
export function registerRetentionCommand(program: Command): void {
  const evidence =
    program.commands.find((c) => c.name() === 'evidence') ??
    program.command('evidence').description('the evidence store');
  evidence
    .command('retention')
    .description(
      'list what is held (statements, batches, product records) and the day each must be kept until: the later ' +
        'of 10 years from issue and the end of the support period. credline never deletes evidence',
    )
    .option('--db <FILE>', 'evidence database')
    .option('--central <URL>', 'or the central store: every station, and what compliance recorded there')
    .option('--central-env <VAR>', 'the central store URL (which may carry a password) from this variable')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { db?: string; central?: string; centralEnv?: string; format: string }) => {
      const centrally = opts.central !== undefined || opts.centralEnv !== undefined;
      if (centrally === (opts.db !== undefined))
        throw usageError('RETENTION_STORE', 'give --db FILE or --central URL (one of them)');
      const entries = centrally
        ? await withCentralReader(
            (await import('../../central/index.js')).centralTarget(opts),
            async (reader) => (await import('./retention-central.js')).centralRetention(reader),
          )
        : readComplianceStore(opts.db as string, (store) => listRetention(store));
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      if (entries.length === 0) {
        process.stdout.write('nothing recorded yet\n');
        return;
      }
      process.stdout.write(
        `${'KIND'.padEnd(15)} ${'ID'.padEnd(32)} ${'SINCE'.padEnd(10)} ${'KEEP UNTIL'.padEnd(10)}  BASIS\n`,
      );
      for (const e of entries) {
        process.stdout.write(
          `${e.kind.padEnd(15)} ${e.id.padEnd(32)} ${e.since.padEnd(10)} ${e.retainUntil.padEnd(10)}  ${e.basis}\n`,
        );
      }
      process.stdout.write(
        'credline never deletes evidence; keep the database and its backups at least this long.\n',
      );
    });
}
