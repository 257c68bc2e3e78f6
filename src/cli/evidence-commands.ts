/**
 * `credline evidence …`: create, inspect, verify, export and back up the evidence store (docs/evidence.md).
 * Parsing and printing only; the work is in src/evidence.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  EXPORT_FORMATS,
  exportEvidence,
  isIsoTimestamp,
  openEvidenceStore,
  readEvidenceStore,
  verifyEvidence,
  type EvidenceQueries,
  type EvidenceStore,
  type ExportFormat,
} from '../evidence/index.js';
import {
  renderEventLine,
  renderRejectionLine,
  renderStats,
  renderVerifyReport,
} from './evidence/render-text.js';
import { CredlineError, usageError } from '../errors/credline-error.js';
import { openKeyFile, readKeyFileHeader } from '../keys/key-file.js';
import { stationKeyId } from '../keys/key-identity.js';
import { outputClosed } from './closed-output.js';
import { assertSafeOutput, writeFailure } from './evidence-output.js';
import { reportExitCode } from './exit-status.js';
import { addPassphraseOptions, passphraseSource, readPassphrase } from './passphrase-options.js';

type OutputFormat = 'text' | 'json' | 'jsonl';

interface CommonOptions {
  db: string;
  format: OutputFormat;
}

const DEFAULT_DB = './credline.db';

function dbOption(): Option {
  return new Option('--db <FILE>', 'the evidence store').default(DEFAULT_DB);
}

function formatOption(): Option {
  return new Option('--format <FORMAT>', 'output format').choices(['text', 'json', 'jsonl']).default('text');
}

function parseTimestamp(value: string): string {
  const normalised = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  const date = new Date(normalised);
  if (!/Z$|[+-]\d\d:\d\d$/.test(normalised) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      'expected YYYY-MM-DD or an ISO-8601 time with a zone, e.g. 2026-11-24T08:00:00Z',
    );
  }
  const iso = date.toISOString();
  if (!isIsoTimestamp(iso)) throw new InvalidArgumentError('time out of range');
  return iso;
}

function parseLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

function parsePublicKey(value: string, previous: string[] = []): string[] {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new InvalidArgumentError(
      'expected 64 hex digits (an Ed25519 public key, as in the station key file)',
    );
  }
  return [...previous, value.toLowerCase()];
}

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Prints records as text lines, one JSON array, or JSON lines. */
function printRecords<T>(records: Iterable<T>, format: OutputFormat, asText: (record: T) => string): void {
  if (format === 'json') {
    let first = true;
    process.stdout.write('[');
    for (const record of records) {
      if (outputClosed()) return;
      process.stdout.write(`${first ? '\n' : ',\n'}${JSON.stringify(record)}`);
      first = false;
    }
    write(first ? ']' : '\n]');
    return;
  }
  for (const record of records) {
    if (outputClosed()) return;
    write(format === 'jsonl' ? JSON.stringify(record) : asText(record));
  }
}

/** Runs a writing command on the store (opened read-write, migrated to this version). */
function withWriter<T>(db: string, work: (store: EvidenceStore) => T): T {
  const store = openEvidenceStore(db);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/** Refuses a --batch the store does not have: a typo would otherwise list or export 0 records, quietly. */
function assertBatchExists(queries: EvidenceQueries, db: string, batchId: string): void {
  if (queries.getBatch(batchId)) return;
  const known = queries.listBatches().map((b) => b.batchId);
  const more = known.length > 10 ? ` and ${known.length - 10} more` : '';
  const listed =
    known.length === 0 ? 'it has no batch yet' : `its batches: ${known.slice(0, 10).join(', ')}${more}`;
  throw usageError('EVIDENCE_NO_BATCH', `no batch ${batchId} in ${db} (${listed}); check --batch`);
}

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

  evidence
    .command('init')
    .description('create an evidence store (0600, WAL) or migrate an existing one to this version')
    .addOption(dbOption())
    .option('--station <ID>', 'register this station id')
    .option('--label <TEXT>', 'with --station: a label for the station')
    .action((opts: { db: string; station?: string; label?: string }) => {
      const store = openEvidenceStore(opts.db, { create: true });
      try {
        if (opts.station !== undefined) {
          store.ensureStation({
            stationId: opts.station,
            ...(opts.label === undefined ? {} : { label: opts.label }),
          });
        }
        const stats = store.stats();
        write(
          `evidence store ${opts.db} ready (schema version ${stats.schemaVersion}, ${stats.head.seq} record(s))`,
        );
      } finally {
        store.close();
      }
    });

  evidence
    .command('stats')
    .description('counts per batch, the chain head and how much is signed')
    .addOption(dbOption())
    .addOption(formatOption())
    .action((opts: CommonOptions) => {
      const stats = readEvidenceStore(opts.db, (store) => store.stats());
      write(opts.format === 'text' ? renderStats(opts.db, stats) : JSON.stringify(stats));
    });

  evidence
    .command('list')
    .description('list provisioning events in chain order')
    .addOption(dbOption())
    .addOption(formatOption())
    .option('--batch <B>', 'only this batch')
    .option('--serial <S>', 'only this serial')
    .option(
      '--since <TIME>',
      'only events recorded at or after TIME (YYYY-MM-DD or ISO-8601)',
      parseTimestamp,
    )
    .addOption(new Option('--result <R>', 'only results of this kind').choices(['PASS', 'FAIL', 'ABORTED']))
    .option('--incomplete', 'only intents with no result (a station stopped mid-device)')
    .option('--limit <N>', 'at most N events', parseLimit)
    .action(
      (
        opts: CommonOptions & {
          batch?: string;
          serial?: string;
          since?: string;
          result?: 'PASS' | 'FAIL' | 'ABORTED';
          incomplete?: boolean;
          limit?: number;
        },
      ) => {
        readEvidenceStore(opts.db, (store) => {
          if (opts.batch !== undefined) assertBatchExists(store, opts.db, opts.batch);
          const events = opts.incomplete
            ? store.listIncomplete(opts.serial)
            : store.iterateEvents({
                ...(opts.batch === undefined ? {} : { batchId: opts.batch }),
                ...(opts.serial === undefined ? {} : { serial: opts.serial }),
                ...(opts.since === undefined ? {} : { since: opts.since }),
                ...(opts.result === undefined ? {} : { result: opts.result }),
                ...(opts.limit === undefined ? {} : { limit: opts.limit }),
              });
          printRecords(events, opts.format, renderEventLine);
        });
      },
    );

  evidence
    .command('show')
    .description("one serial's whole history: policy rejections, intents and results")
    .argument('<SERIAL>', 'the canonical serial')
    .addOption(dbOption())
    .addOption(formatOption())
    .action((serial: string, opts: CommonOptions) => {
      const history = readEvidenceStore(opts.db, (store) => store.historyOf(serial));
      if (history.events.length === 0 && history.rejections.length === 0) {
        throw usageError('EVIDENCE_NO_SERIAL', `${opts.db}: no evidence for serial ${serial}`);
      }
      const merged = [
        ...history.events.map((e) => ({ record: 'event' as const, ...e })),
        ...history.rejections.map((r) => ({ record: 'rejection' as const, ...r })),
      ].sort((a, b) => a.seq - b.seq);
      printRecords(merged, opts.format, (x) =>
        x.record === 'event' ? renderEventLine(x) : renderRejectionLine(x),
      );
    });

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
    .action(
      (opts: CommonOptions & { expectHead?: string; stationPublicKey?: string[]; stationKey?: string }) => {
        const pinned = [...(opts.stationPublicKey ?? [])];
        if (opts.stationKey !== undefined) pinned.push(stationPublicKeyOf(opts.stationKey));
        const report = verifyEvidence(opts.db, {
          ...(opts.expectHead === undefined ? {} : { expectHead: opts.expectHead }),
          ...(pinned.length ? { stationPublicKeys: pinned } : {}),
        });
        write(opts.format === 'text' ? renderVerifyReport(report) : JSON.stringify(report));
        if (!report.ok) reportExitCode(1);
      },
    );

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
    .action(
      async (opts: {
        db: string;
        format: ExportFormat;
        out: string;
        force?: boolean;
        batch?: string;
        since?: string;
      }) => {
        const guard = { db: opts.db, force: opts.force === true, existsHint: 'pass --force to replace it' };
        assertSafeOutput(opts.out, guard);
        assertSafeOutput(`${opts.out}.sha256`, guard);
        const batch = opts.batch;
        if (batch !== undefined)
          readEvidenceStore(opts.db, (store) => assertBatchExists(store, opts.db, batch));
        const summary = await exportEvidence(opts.db, {
          format: opts.format,
          out: opts.out,
          ...(opts.batch === undefined ? {} : { batchId: opts.batch }),
          ...(opts.since === undefined ? {} : { since: opts.since }),
        }).catch((error: unknown) => {
          throw writeFailure(error, opts.out) ?? error;
        });
        write(
          `exported ${summary.records} record(s) to ${summary.out} (sha256 ${summary.sha256}); ` +
            `chain head ${summary.head.seq}:${summary.head.hash}; checksum in ${summary.sidecar}`,
        );
      },
    );

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
      const store = openEvidenceStore(opts.db, { readonly: true });
      try {
        await store.backup(opts.out);
        const head = store.head();
        write(
          `backed up ${opts.db} to ${opts.out} (chain head at backup time or later: ${head.seq}:${head.hash})`,
        );
      } finally {
        store.close();
      }
    });

  const checkpoint = evidence
    .command('checkpoint')
    .description(
      'sign the current chain head with a station key (the station does this after every run and batch)',
    )
    .addOption(dbOption())
    .requiredOption('--station-key <FILE>', 'sealed station key file (credline keys create --kind station)')
    .requiredOption('--station <ID>', 'the station id recorded with the checkpoint')
    .option('--reason <TEXT>', 'why this checkpoint was taken', 'manual');
  addPassphraseOptions(checkpoint).action(
    async (opts: {
      db: string;
      stationKey: string;
      station: string;
      reason: string;
      [k: string]: unknown;
    }) => {
      const passphrase = await readPassphrase(passphraseSource(opts), {
        prompt: `Passphrase for ${opts.stationKey}: `,
      });
      const opened = await openKeyFile(opts.stationKey, passphrase);
      try {
        if (opened.header.kind !== 'station') {
          throw usageError(
            'KEY_KIND',
            `${opts.stationKey} is a ${opened.header.kind} key; a station key is needed here`,
          );
        }
        const signed = withWriter(opts.db, (store) =>
          store.writeCheckpoint(opened.secret, { stationId: opts.station, reason: opts.reason }),
        );
        write(
          `checkpoint ${signed.id}: signed seq ${signed.headSeq} ${signed.headHash} with station key ` +
            `${stationKeyId(signed.publicKey)} (public key ${signed.publicKey})`,
        );
      } finally {
        opened.secret.fill(0);
      }
    },
  );
}

function stationPublicKeyOf(file: string): string {
  const header = readKeyFileHeader(file);
  if (header.kind !== 'station' || header.publicKey === undefined) {
    throw new CredlineError('KEY_KIND', `${file} is a ${header.kind} key; a station key is needed here`);
  }
  return header.publicKey;
}
