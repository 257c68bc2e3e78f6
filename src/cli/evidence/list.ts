/** `credline evidence list`: provisioning events in chain order, filtered. */
import { type Command, Option } from 'commander';
import { readEvidenceStore, type EventFilter, type ProvisioningResult } from '../../evidence/index.js';
import {
  addCentralOptions,
  centralChoice,
  withCentralReader,
  type CentralChoice,
} from '../central-option.js';
import { dbOption, formatOption, parseLimit, parseTimestamp, type CommonOptions } from './options.js';
import { printRecords, printRecordStream } from './print.js';
import { renderEventLine } from './render-text.js';

interface ListOptions extends CommonOptions, CentralChoice {
  batch?: string;
  serial?: string;
  since?: string;
  result?: ProvisioningResult;
  incomplete?: boolean;
  limit?: number;
}

export function addListCommand(evidence: Command): void {
  const command = evidence
    .command('list')
    .description('list provisioning events in chain order (centrally: by station, then in chain order)')
    .addOption(dbOption());
  addCentralOptions(command)
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
    .action(async (opts: ListOptions, self: Command) => {
      const central = await centralChoice(opts, self);
      if (central !== undefined) {
        await withCentralReader(central, async (reader) => {
          const { centralEvents, centralIncomplete, requireCentralBatch } =
            await import('../../central/index.js');
          if (opts.batch !== undefined) await requireCentralBatch(reader, opts.batch);
          if (opts.incomplete) {
            const open = await centralIncomplete(reader, opts.serial);
            printRecords(open, opts.format, renderEventLine);
            return;
          }
          await printRecordStream(centralEvents(reader, filterOf(opts)), opts.format, renderEventLine);
        });
        return;
      }
      readEvidenceStore(opts.db, (store) => {
        if (opts.batch !== undefined) store.requireBatch(opts.batch);
        const events = opts.incomplete
          ? store.listIncomplete(opts.serial)
          : store.iterateEvents(filterOf(opts));
        printRecords(events, opts.format, renderEventLine);
      });
    });
}

function filterOf(opts: ListOptions): EventFilter {
  return {
    ...(opts.batch === undefined ? {} : { batchId: opts.batch }),
    ...(opts.serial === undefined ? {} : { serial: opts.serial }),
    ...(opts.since === undefined ? {} : { since: opts.since }),
    ...(opts.result === undefined ? {} : { result: opts.result }),
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
  };
}
