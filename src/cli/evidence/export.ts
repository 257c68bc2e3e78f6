/** `credline evidence export`: records with seq, prev_hash and row_hash to CSV/JSON/JSONL, with a .sha256 sidecar. */
import { type Command, Option } from 'commander';
import {
  EXPORT_FORMATS,
  exportEvidence,
  readEvidenceStore,
  type ExportFormat,
} from '../../evidence/index.js';
import { assertSafeOutput, writeFailure } from '../evidence-output.js';
import { dbOption, parseTimestamp } from './options.js';
import { write } from './print.js';

interface ExportCommandOptions {
  db: string;
  format: ExportFormat;
  out: string;
  force?: boolean;
  batch?: string;
  since?: string;
}

export function addExportCommand(evidence: Command): void {
  evidence
    .command('export')
    .description('stream records with seq, prev_hash and row_hash to CSV/JSON/JSONL, plus a .sha256 sidecar')
    .addOption(dbOption())
    .addOption(
      new Option('--format <FORMAT>', 'file format').choices([...EXPORT_FORMATS]).makeOptionMandatory(),
    )
    .requiredOption('--out <FILE>', 'the file to write (FILE.sha256 is written next to it)')
    .option('--force', 'replace an existing --out file and its .sha256 (never the evidence store itself)')
    .option('--batch <B>', 'only records of this batch')
    .option(
      '--since <TIME>',
      'only records recorded at or after TIME (YYYY-MM-DD or ISO-8601)',
      parseTimestamp,
    )
    .action(async (opts: ExportCommandOptions) => {
      const guard = { db: opts.db, force: opts.force === true, existsHint: 'pass --force to replace it' };
      assertSafeOutput(opts.out, guard);
      assertSafeOutput(`${opts.out}.sha256`, guard);
      const batch = opts.batch;
      if (batch !== undefined) readEvidenceStore(opts.db, (store) => store.requireBatch(batch));
      const summary = await exportEvidence(opts.db, {
        format: opts.format,
        out: opts.out,
        ...(batch === undefined ? {} : { batchId: batch }),
        ...(opts.since === undefined ? {} : { since: opts.since }),
      }).catch((error: unknown) => {
        throw writeFailure(error, opts.out) ?? error;
      });
      write(
        `exported ${summary.records} record(s) to ${summary.out} (sha256 ${summary.sha256}); ` +
          `chain head ${summary.head.seq}:${summary.head.hash}; checksum in ${summary.sidecar}`,
      );
    });
}
