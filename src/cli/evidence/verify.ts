/** `credline evidence verify`: the chain, signed checkpoints, append-only triggers and SQLite integrity. */
import type { Command } from 'commander';
import { verifyEvidence } from '../../evidence/index.js';
import { reportExitCode } from '../exit-status.js';
import { dbOption, formatOption, parsePublicKey, stationPublicKeyOf, type CommonOptions } from './options.js';
import { write } from './print.js';
import { renderVerifyReport } from './render-text.js';

interface VerifyCommandOptions extends CommonOptions {
  expectHead?: string;
  stationPublicKey?: string[];
  stationKey?: string;
}

export function addVerifyCommand(evidence: Command): void {
  evidence
    .command('verify')
    .description(
      'check the hash chain, signed checkpoints, append-only triggers and SQLite integrity (read-only)',
    )
    .addOption(dbOption())
    .addOption(formatOption())
    .option(
      '--expect-head <HASH>',
      'a head printed earlier by "evidence head" (HASH or SEQ:HASH); fails if it is gone',
    )
    .option(
      '--station-public-key <HEX>',
      'only trust checkpoints signed by this key (repeatable)',
      parsePublicKey,
    )
    .option(
      '--station-key <FILE>',
      'only trust checkpoints signed by this station key file (no passphrase needed)',
    )
    .action((opts: VerifyCommandOptions) => {
      const pinned = [...(opts.stationPublicKey ?? [])];
      if (opts.stationKey !== undefined) pinned.push(stationPublicKeyOf(opts.stationKey));
      const report = verifyEvidence(opts.db, {
        ...(opts.expectHead === undefined ? {} : { expectHead: opts.expectHead }),
        ...(pinned.length ? { stationPublicKeys: pinned } : {}),
      });
      write(opts.format === 'text' ? renderVerifyReport(report) : JSON.stringify(report));
      if (!report.ok) reportExitCode(1);
    });
}
