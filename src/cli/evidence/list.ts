/** `credline evidence list`: provisioning events in chain order, filtered. */
import { type Command, Option } from 'commander';
import { readEvidenceStore, type ProvisioningResult } from '../../evidence/index.js';
import { dbOption, formatOption, parseLimit, parseTimestamp, type CommonOptions } from './options.js';
import { printRecords } from './print.js';
import { renderEventLine } from './render-text.js';

interface ListOptions extends CommonOptions {
  batch?: string;
  serial?: string;
  since?: string;
  result?: ProvisioningResult;
  incomplete?: boolean;
  limit?: number;
}

export function addListCommand(evidence: Command): void {
  evidence
    .command('list')
    .description('list provisioning events in chain order')
    .addOption(dbOption())
    .addOption(formatOption())
    .option('--batch <B>', 'only this batch')
    .option('--serial <S>', 'only this serial')
    .option(
      '--since <TIME>',
      'only events recorded at or after TIME (YYYY-MM-DD or ISO-8601)',
      parseTimestamp,
    )
    .addOption(new Option('--result <R>', 'only results of this kind').choices(['PASS', 'FAIL', 'ABORTED']))
    .option('--incomplete', 'only intents with no result (a station stopped mid-device)')
    .option('--limit <N>', 'at most N events', parseLimit)
    .action((opts: ListOptions) => {
      readEvidenceStore(opts.db, (store) => {
        if (opts.batch !== undefined) store.requireBatch(opts.batch);
        const events = opts.incomplete
          ? store.listIncomplete(opts.serial)
          : store.iterateEvents({
              ...(opts.batch === undefined ? {} : { batchId: opts.batch }),
              ...(opts.serial === undefined ? {} : { serial: opts.serial }),
              ...(opts.since === undefined ? {} : { since: opts.since }),
              ...(opts.result === undefined ? {} : { result: opts.result }),
              ...(opts.limit === undefined ? {} : { limit: opts.limit }),
            });
        printRecords(events, opts.format, renderEventLine);
      });
    });
}
