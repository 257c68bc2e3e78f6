/** `credline evidence init`: create an evidence store, or migrate an existing one to this version. */
import type { Command } from 'commander';
import { initEvidenceStore } from '../../evidence/index.js';
import { dbOption } from './options.js';
import { write } from './print.js';

export function addInitCommand(evidence: Command): void {
  evidence
    .command('init')
    .description('create an evidence store (0600, WAL) or migrate an existing one to this version')
    .addOption(dbOption())
    .option('--station <ID>', 'register this station id')
    .option('--label <TEXT>', 'with --station: a label for the station')
    .action((opts: { db: string; station?: string; label?: string }) => {
      const stats = initEvidenceStore(opts.db, {
        ...(opts.station === undefined ? {} : { stationId: opts.station }),
        ...(opts.label === undefined ? {} : { label: opts.label }),
      });
      write(
        `evidence store ${opts.db} ready (schema version ${stats.schemaVersion}, ${stats.head.seq} record(s))`,
      );
    });
}
