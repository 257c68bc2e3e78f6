/** `credline evidence backup`: a consistent copy with SQLite's online backup, never over an existing file. */
import type { Command } from 'commander';
import { backupEvidenceStore } from '../../evidence/index.js';
import { assertSafeOutput } from '../evidence-output.js';
import { dbOption } from './options.js';
import { write } from './print.js';
import { printable } from '../../errors/printable.js';
import { followSteps, startProgress } from '../../progress/index.js';

export function addBackupCommand(evidence: Command): void {
  evidence
    .command('backup')
    .description('copy the store with the SQLite online backup (consistent while a station writes)')
    .addOption(dbOption())
    .requiredOption('--out <FILE>', 'the new backup file (created 0600, never overwritten)')
    .action(async (opts: { db: string; out: string }) => {
      assertSafeOutput(opts.out, {
        db: opts.db,
        force: false,
        existsHint: 'evidence backups never overwrite a file; choose a new name',
      });
      const label = `backing up to ${printable(opts.out, 60)}`;
      const progress = startProgress(label, { unit: 'pages' });
      const head = await backupEvidenceStore(opts.db, opts.out, {
        onProgress: followSteps(progress, () => label),
        onInterrupt: (signal) => {
          progress.end();
          process.stderr.write(`credline: ${signal}: the backup stops; ${opts.out} is removed\n`);
        },
      }).finally(() => progress.end());
      write(
        `backed up ${opts.db} to ${opts.out} (chain head at backup time or later: ${head.seq}:${head.hash})`,
      );
    });
}
