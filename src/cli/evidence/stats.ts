/** `credline evidence stats`: counts per batch, the chain head and how much of it is signed. */
import type { Command } from 'commander';
import { readEvidenceStore } from '../../evidence/index.js';
import { dbOption, formatOption, type CommonOptions } from './options.js';
import { write } from './print.js';
import { renderStats } from './render-text.js';

export function addStatsCommand(evidence: Command): void {
  evidence
    .command('stats')
    .description('counts per batch, the chain head and how much is signed')
    .addOption(dbOption())
    .addOption(formatOption())
    .action((opts: CommonOptions) => {
      const stats = readEvidenceStore(opts.db, (store) => store.stats());
      write(opts.format === 'text' ? renderStats(opts.db, stats) : JSON.stringify(stats));
    });
}
