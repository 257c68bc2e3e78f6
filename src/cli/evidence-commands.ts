/**
 * `credline evidence …`: create, inspect, verify, export and back up the evidence store (docs/evidence.md). One
 * builder per subcommand, each in cli/evidence/; parsing and printing only, the work is behind src/evidence's door.
 */
import type { Command } from 'commander';
import { addBackupCommand } from './evidence/backup.js';
import { addCheckpointCommand } from './evidence/checkpoint.js';
import { addExportCommand } from './evidence/export.js';
import { addHeadCommand } from './evidence/head.js';
import { addInitCommand } from './evidence/init.js';
import { addListCommand } from './evidence/list.js';
import { addShowCommand } from './evidence/show.js';
import { addStatsCommand } from './evidence/stats.js';
import { addVerifyCommand } from './evidence/verify.js';

export function registerEvidenceCommands(program: Command): void {
  const evidence = program
    .command('evidence')
    .description(
      'the tamper-evident evidence store: init, stats, list, show, head, verify, export, backup, checkpoint',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  credline evidence init --db line1.db\n' +
        '  credline evidence verify --db line1.db --station-key station.credkey --expect-head 1234:9f86…\n' +
        '  credline evidence export --db line1.db --batch B1 --format csv --out B1.csv\n',
    );
  for (const add of [
    addInitCommand,
    addStatsCommand,
    addListCommand,
    addShowCommand,
    addHeadCommand,
    addVerifyCommand,
    addExportCommand,
    addBackupCommand,
    addCheckpointCommand,
  ]) {
    add(evidence);
  }
}
