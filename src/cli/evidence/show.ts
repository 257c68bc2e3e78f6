/** `credline evidence show SERIAL`: one serial's whole history in chain order. */
import type { Command } from 'commander';
import { readEvidenceStore } from '../../evidence/index.js';
import { dbOption, formatOption, type CommonOptions } from './options.js';
import { printRecords } from './print.js';
import { renderEventLine, renderRejectionLine } from './render-text.js';

export function addShowCommand(evidence: Command): void {
  evidence
    .command('show')
    .description("one serial's whole history: policy rejections, intents and results")
    .argument('<SERIAL>', 'the canonical serial')
    .addOption(dbOption())
    .addOption(formatOption())
    .action((serial: string, opts: CommonOptions) => {
      const history = readEvidenceStore(opts.db, (store) => store.serialHistory(serial));
      printRecords(history, opts.format, (x) =>
        x.record === 'event' ? renderEventLine(x) : renderRejectionLine(x),
      );
    });
}
