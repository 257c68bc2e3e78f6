/** `credline evidence stats`: counts per batch, the chain head and how much of it is signed. */
import type { Command } from 'commander';
import { readEvidenceStore } from '../../evidence/index.js';
import {
  addCentralOptions,
  centralChoice,
  withCentralReader,
  type CentralChoice,
} from '../central-option.js';
import { dbOption, formatOption, type CommonOptions } from './options.js';
import { write } from './print.js';
import { renderCentralStats } from './render-central.js';
import { renderStats } from './render-text.js';

export function addStatsCommand(evidence: Command): void {
  const command = evidence
    .command('stats')
    .description('counts per batch, the chain head and how much is signed (centrally: per station too)')
    .addOption(dbOption());
  addCentralOptions(command)
    .addOption(formatOption())
    .action(async (opts: CommonOptions & CentralChoice, self: Command) => {
      const central = await centralChoice(opts, self);
      if (central !== undefined) {
        const { centralStoreStats, describeCentral } = await import('../../central/index.js');
        const stats = await withCentralReader(central, centralStoreStats);
        write(
          opts.format === 'text'
            ? renderCentralStats(describeCentral(central), stats)
            : JSON.stringify(stats),
        );
        return;
      }
      const stats = readEvidenceStore(opts.db, (store) => store.stats());
      write(opts.format === 'text' ? renderStats(opts.db, stats) : JSON.stringify(stats));
    });
}
