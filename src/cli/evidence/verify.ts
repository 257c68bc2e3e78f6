/** `credline evidence verify`: the chain, signed checkpoints, append-only triggers and SQLite integrity. */
import type { Command } from 'commander';
import { verifyEvidence, type VerifyReport } from '../../evidence/index.js';
import { reportExitCode } from '../exit-status.js';
import {
  addCentralOptions,
  centralChoice,
  withCentralReader,
  type CentralChoice,
} from '../central-option.js';
import { dbOption, formatOption, parsePublicKey, stationPublicKeyOf, type CommonOptions } from './options.js';
import { write } from './print.js';
import { renderCentralVerify } from './render-central.js';
import { renderVerifyReport } from './render-text.js';
import { usageError } from '../../errors/credline-error.js';
import { printable } from '../../errors/printable.js';
import { followSteps, startProgress } from '../../progress/index.js';

/** How the progress line names verify's steps. */
const VERIFY_STEPS: Record<string, string> = {
  chain: 'the chain',
  integrity: 'SQLite integrity check',
};

interface VerifyCommandOptions extends CommonOptions, CentralChoice {
  expectHead?: string;
  stationPublicKey?: string[];
  stationKey?: string;
}

export function addVerifyCommand(evidence: Command): void {
  const command = evidence
    .command('verify')
    .description(
      'check the hash chain, signed checkpoints, append-only triggers and SQLite integrity (read-only); ' +
        "centrally: every station's chain and checkpoints against its registered key, and the compliance chain",
    )
    .addOption(dbOption());
  addCentralOptions(command)
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
    .action(async (opts: VerifyCommandOptions, self: Command) => {
      const central = await centralChoice(opts, self);
      if (central !== undefined) {
        if (
          opts.expectHead !== undefined ||
          opts.stationKey !== undefined ||
          opts.stationPublicKey !== undefined
        )
          throw usageError(
            'CENTRAL_VERIFY_OPTIONS',
            '--expect-head, --station-key and --station-public-key check a station file (--db); the central ' +
              'store checks each station against its registered key (credline central station list)',
          );
        const report = await withCentralReader(central, (reader) => reader.verify());
        write(opts.format === 'text' ? renderCentralVerify(report) : JSON.stringify(report));
        if (report.problems.length > 0) reportExitCode(1);
        return;
      }
      const pinned = [...(opts.stationPublicKey ?? [])];
      if (opts.stationKey !== undefined) pinned.push(stationPublicKeyOf(opts.stationKey));
      const label = `verifying ${printable(opts.db, 60)}`;
      const progress = startProgress(label, { unit: 'records', quiet: opts.format !== 'text' });
      let report: VerifyReport;
      try {
        report = verifyEvidence(opts.db, {
          ...(opts.expectHead === undefined ? {} : { expectHead: opts.expectHead }),
          ...(pinned.length ? { stationPublicKeys: pinned } : {}),
          onProgress: followSteps(progress, (step) => `${label}: ${VERIFY_STEPS[step] ?? step}`),
        });
      } finally {
        progress.end();
      }
      write(opts.format === 'text' ? renderVerifyReport(report) : JSON.stringify(report));
      if (!report.ok) reportExitCode(1);
    });
}
