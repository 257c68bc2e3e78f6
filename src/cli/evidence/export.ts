/** `credline evidence export`: records with seq, prev_hash and row_hash to CSV/JSON/JSONL, with a .sha256 sidecar. */
import { type Command, Option } from 'commander';
import type { CentralTarget } from '../../central/index.js';
import {
  EXPORT_FORMATS,
  exportEvidence,
  readEvidenceStore,
  type ExportFormat,
} from '../../evidence/index.js';
import { assertSafeOutput, writeFailure } from '../evidence-output.js';
import {
  addCentralOptions,
  centralChoice,
  withCentralReader,
  type CentralChoice,
} from '../central-option.js';
import { dbOption, parseTimestamp } from './options.js';
import { usageError } from '../../errors/credline-error.js';
import { write } from './print.js';
import { printable } from '../../errors/printable.js';
import { followSteps, startProgress } from '../../progress/index.js';

interface ExportCommandOptions extends CentralChoice {
  db: string;
  format: ExportFormat;
  out: string;
  force?: boolean;
  batch?: string;
  since?: string;
  station?: string;
}

export function addExportCommand(evidence: Command): void {
  const command = evidence
    .command('export')
    .description(
      'stream records with seq, prev_hash and row_hash to CSV/JSON/JSONL, plus a .sha256 sidecar; centrally ' +
        "(CSV): every station's records by station id, then seq",
    )
    .addOption(dbOption());
  addCentralOptions(command)
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
    .option('--station <ID>', 'with --central: only this station')
    .action(async (opts: ExportCommandOptions, self: Command) => {
      const central = await centralChoice(opts, self);
      const guard = { db: opts.db, force: opts.force === true, existsHint: 'pass --force to replace it' };
      assertSafeOutput(opts.out, guard);
      assertSafeOutput(`${opts.out}.sha256`, guard);
      if (central !== undefined) return exportFromCentral(central, opts);
      if (opts.station !== undefined)
        throw usageError('EXPORT_STATION', '--station picks a station of the central store (--central)');
      const batch = opts.batch;
      if (batch !== undefined) readEvidenceStore(opts.db, (store) => store.requireBatch(batch));
      const label = `exporting to ${printable(opts.out, 60)}`;
      const progress = startProgress(label, { unit: 'records' });
      const summary = await exportEvidence(opts.db, {
        format: opts.format,
        out: opts.out,
        ...(batch === undefined ? {} : { batchId: batch }),
        ...(opts.since === undefined ? {} : { since: opts.since }),
        onInterrupt: (signal) => {
          progress.end();
          process.stderr.write(`credline: ${signal}: the export stops; ${opts.out} is removed\n`);
        },
        onProgress: followSteps(progress, () => label),
      })
        .catch((error: unknown) => {
          throw writeFailure(error, opts.out) ?? error;
        })
        .finally(() => progress.end());
      write(
        `exported ${summary.records} record(s) to ${summary.out} (sha256 ${summary.sha256}); ` +
          `chain head ${summary.head.seq}:${summary.head.hash}; checksum in ${summary.sidecar}`,
      );
    });
}

async function exportFromCentral(central: CentralTarget, opts: ExportCommandOptions): Promise<void> {
  if (opts.format !== 'csv')
    throw usageError(
      'CENTRAL_EXPORT_FORMAT',
      `--format ${opts.format}: the central export is CSV (the stations' exports concatenated); use --format csv`,
    );
  const { exportCentral, requireCentralBatch } = await import('../../central/index.js');
  const summary = await withCentralReader(central, async (reader) => {
    if (opts.batch !== undefined) await requireCentralBatch(reader, opts.batch);
    return exportCentral(reader, {
      out: opts.out,
      batchId: opts.batch,
      stationId: opts.station,
      since: opts.since,
    });
  }).catch((error: unknown) => {
    throw writeFailure(error, opts.out) ?? error;
  });
  write(
    `exported ${summary.records} record(s) from ${summary.stations.length} station(s) to ${summary.out} ` +
      `(sha256 ${summary.sha256}); ` +
      summary.stations.map((s) => `station ${s.stationId} last seq ${s.lastSeq}`).join(', ') +
      `; checksum in ${summary.sidecar}`,
  );
}
