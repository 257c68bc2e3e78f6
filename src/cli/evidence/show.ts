/** `credline evidence show SERIAL`: one serial's whole history in chain order. */
import type { Command } from 'commander';
import { readEvidenceStore, type SerialHistoryEntry } from '../../evidence/index.js';
import {
  addCentralOptions,
  centralChoice,
  withCentralReader,
  type CentralChoice,
} from '../central-option.js';
import { dbOption, formatOption, type CommonOptions } from './options.js';
import { printRecords } from './print.js';
import { renderEventLine, renderRejectionLine } from './render-text.js';

export function addShowCommand(evidence: Command): void {
  const command = evidence
    .command('show')
    .description(
      "one serial's whole history: policy rejections, intents and results (centrally: every station's)",
    )
    .argument('<SERIAL>', 'the canonical serial')
    .addOption(dbOption());
  addCentralOptions(command)
    .addOption(formatOption())
    .action(async (serial: string, opts: CommonOptions & CentralChoice, self: Command) => {
      const central = await centralChoice(opts, self);
      const history: SerialHistoryEntry[] =
        central === undefined
          ? readEvidenceStore(opts.db, (store) => store.serialHistory(serial))
          : await withCentralReader(central, async (reader) =>
              (await import('../../central/index.js')).centralSerialHistory(reader, serial),
            );
      printRecords(history, opts.format, (x) =>
        x.record === 'event' ? renderEventLine(x) : renderRejectionLine(x),
      );
    });
}
