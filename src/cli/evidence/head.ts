/** `credline evidence head`: the chain head, to anchor outside the station. */
import type { Command } from 'commander';
import { readEvidenceStore } from '../../evidence/index.js';
import { dbOption, formatOption, type CommonOptions } from './options.js';
import { write } from './print.js';

export function addHeadCommand(evidence: Command): void {
  evidence
    .command('head')
    .description(
      'print the chain head (SEQ:HASH) to anchor outside the station; verify takes it as --expect-head',
    )
    .addOption(dbOption())
    .addOption(formatOption())
    .action((opts: CommonOptions) => {
      const head = readEvidenceStore(opts.db, (store) => store.head());
      write(opts.format === 'text' ? `${head.seq}:${head.hash}` : JSON.stringify(head));
    });
}
