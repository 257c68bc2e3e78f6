/**
 * `credline central …` and `credline sync`: the central PostgreSQL store (docs/central.md). Parsing and printing
 * only; the work is in src/central. The URL comes from `--central URL` (no password in it: PGPASSWORD or a
 * password file supply it) or `--central-env VAR`; output never shows a password.
 */
import { watch } from 'node:fs';
import { type Command, Option } from 'commander';
import {
  CentralReader,
  centralTarget,
  describeCentral,
  exportCentral,
  initCentral,
  listCentralKeys,
  listStations,
  registerCentralKey,
  registerStation,
  syncStation,
  type CentralTarget,
  type SyncOptions,
  type SyncReport,
} from '../central/index.js';
import { startProgress, type Progress } from '../progress/index.js';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { readKeyFileHeader } from '../keys/index.js';
import { reportExitCode } from './exit-status.js';
import { integerOption } from './integer-option.js';
import { renderCentralVerify } from './evidence/render-central.js';

interface CentralOptions {
  central?: string;
  centralEnv?: string;
  format: 'text' | 'json';
}

function addCentralOptions(command: Command): Command {
  return command
    .option(
      '--central <URL>',
      'the central store, postgresql://user@host:port/db[?sslmode=verify-full&sslrootcert=FILE]',
    )
    .option(
      '--central-env <VAR>',
      'read the URL (which may carry the password) from this environment variable',
    )
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'));
}

function targetOf(opts: CentralOptions): CentralTarget {
  return centralTarget(opts);
}

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

function printJson(value: unknown): void {
  write(JSON.stringify(value, null, 2));
}

async function withReader<T>(opts: CentralOptions, work: (reader: CentralReader) => Promise<T>): Promise<T> {
  const reader = await CentralReader.open(targetOf(opts));
  try {
    return await work(reader);
  } finally {
    await reader.close();
  }
}

export function registerCentralCommands(program: Command): void {
  const central = program
    .command('central')
    .description(
      'the central PostgreSQL store of every station: init, stations, conflicts, findings, verify, export',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  PGPASSWORD=… credline central init --central postgresql://credline_admin@db:5432/credline\n' +
        '  credline central station add --central-env CENTRAL_URL --station-id line1 --station-key station-1.ckey\n' +
        '  credline sync --db line1.db --central postgresql://line1@db:5432/credline\n' +
        '  credline central conflicts --central postgresql://auditor@db:5432/credline\n',
    );

  addCentralOptions(
    central
      .command('init')
      .description('create or migrate the central schema and its roles (run as the database owner)'),
  ).action(async (opts: CentralOptions) => {
    const target = targetOf(opts);
    const report = await initCentral(target);
    if (opts.format === 'json') return printJson(report);
    for (const m of report.applied) write(`applied migration ${m.version}: ${m.description}`);
    write(`${describeCentral(target)}: central schema at version ${report.to} (was ${report.from})`);
  });

  const station = central.command('station').description('the stations allowed to push, and their keys');
  addCentralOptions(
    station
      .command('add')
      .description('register a station id and its checkpoint-signing public key (from its station key file)')
      .requiredOption('--station-id <ID>', 'the station id its evidence file records')
      .option('--station-key <FILE>', 'the sealed station key file (only its public header is read)')
      .option('--public-key <HEX>', 'or the Ed25519 public key as 64 hex digits')
      .option('--label <TEXT>', 'a label'),
  ).action(
    async (
      opts: CentralOptions & { stationId: string; stationKey?: string; publicKey?: string; label?: string },
    ) => {
      const publicKey = publicKeyOf(opts);
      const { station: s, added } = await registerStation(targetOf(opts), {
        stationId: opts.stationId,
        publicKey,
        label: opts.label,
      });
      if (opts.format === 'json') return printJson({ ...s, added });
      write(
        `${added ? 'registered' : 'already registered'}: station ${s.stationId}, public key ${s.publicKey}`,
      );
    },
  );
  addCentralOptions(station.command('list').description('the registered stations')).action(
    async (opts: CentralOptions) => {
      const stations = await listStations(targetOf(opts));
      if (opts.format === 'json') return printJson(stations);
      for (const s of stations)
        write(`${s.stationId}  ${s.publicKey}  ${s.registeredAt}${s.label ? `  ${s.label}` : ''}`);
    },
  );

  const key = central
    .command('key')
    .description('the named central keys that sign the compliance chain (statements recorded centrally)');
  addCentralOptions(
    key
      .command('add')
      .description('register a central key by name (run as the database owner)')
      .requiredOption('--name <NAME>', 'the name checkpoints will carry, e.g. compliance-2026')
      .option(
        '--key <FILE>',
        'the sealed key file (keys create --kind station; only its public header is read)',
      )
      .option('--public-key <HEX>', 'or the Ed25519 public key as 64 hex digits')
      .option('--label <TEXT>', 'a label'),
  ).action(
    async (opts: CentralOptions & { name: string; key?: string; publicKey?: string; label?: string }) => {
      const publicKey = publicKeyOf({ stationKey: opts.key, publicKey: opts.publicKey }, '--key');
      const { key: k, added } = await registerCentralKey(targetOf(opts), {
        name: opts.name,
        publicKey,
        label: opts.label,
      });
      if (opts.format === 'json') return printJson({ ...k, added });
      write(
        `${added ? 'registered' : 'already registered'}: central key ${k.name}, public key ${k.publicKey}`,
      );
    },
  );
  addCentralOptions(key.command('list').description('the registered central keys')).action(
    async (opts: CentralOptions) => {
      const keys = await withReader(opts, listCentralKeys);
      if (opts.format === 'json') return printJson(keys);
      for (const k of keys)
        write(`${k.name}  ${k.publicKey}  ${k.registeredAt}${k.label ? `  ${k.label}` : ''}`);
    },
  );

  addCentralOptions(
    central
      .command('conflicts')
      .description(
        'serials PASSed at two stations, passwords (fingerprints) given to two serials; exit 1 if any',
      ),
  ).action(async (opts: CentralOptions) => {
    const conflicts = await withReader(opts, (r) => r.conflicts());
    if (conflicts.length > 0) reportExitCode(ExitCode.failed);
    if (opts.format === 'json') return printJson(conflicts);
    if (conflicts.length === 0) return write('no conflicts');
    for (const c of conflicts) {
      const what =
        c.kind === 'serial'
          ? `serial ${c.first.serial} (profile ${c.profileId}) PASSed at two stations`
          : `one password (key ${c.keyId}) given to serials ${c.first.serial} and ${c.second.serial}`;
      write(
        `CONFLICT ${what}: station ${c.first.stationId} batch ${c.first.batchId} at ${c.first.at} (seq ${c.first.seq}); ` +
          `station ${c.second.stationId} batch ${c.second.batchId} at ${c.second.at} (seq ${c.second.seq})`,
      );
    }
  });

  addCentralOptions(
    central
      .command('findings')
      .description('what ingest refused (edited or forked files, foreign keys); exit 1 if any'),
  ).action(async (opts: CentralOptions) => {
    const findings = await withReader(opts, (r) => r.findings());
    if (findings.length > 0) reportExitCode(ExitCode.failed);
    if (opts.format === 'json') return printJson(findings);
    if (findings.length === 0) return write('no findings');
    for (const f of findings) write(`FINDING ${f.kind} ${f.foundAt}: ${f.detail}`);
  });

  addCentralOptions(
    central
      .command('verify')
      .description('re-check every stored row, link and checkpoint signature, and the append-only triggers'),
  ).action(async (opts: CentralOptions) => {
    const report = await withReader(opts, (r) => r.verify());
    if (report.problems.length > 0) reportExitCode(ExitCode.failed);
    if (opts.format === 'json') return printJson(report);
    write(renderCentralVerify(report));
  });

  addCentralOptions(
    central.command('stats').description('records, results and checkpoints per station'),
  ).action(async (opts: CentralOptions) => {
    const stats = await withReader(opts, (r) => r.stats());
    if (opts.format === 'json') return printJson(stats);
    for (const s of stats)
      write(
        `${s.stationId}: ${s.records} records (head seq ${s.headSeq}), PASS ${s.pass}, FAIL ${s.fail}, ` +
          `ABORTED ${s.aborted}, ${count(s.checkpoints, 'checkpoint')}`,
      );
  });

  addCentralOptions(
    central
      .command('export')
      .description('a batch (or everything) from every station as CSV, in order of station id then seq')
      .requiredOption('--out <FILE>', 'the CSV file (a .sha256 sidecar is written next to it)')
      .option('--batch <ID>', 'only this batch')
      .option('--station <ID>', 'only this station'),
  ).action(async (opts: CentralOptions & { out: string; batch?: string; station?: string }) => {
    const summary = await withReader(opts, (r) =>
      exportCentral(r, { out: opts.out, batchId: opts.batch, stationId: opts.station }),
    );
    if (opts.format === 'json') return printJson(summary);
    write(`exported ${summary.records} records from ${summary.stations.length} station(s) to ${summary.out}`);
    write(`sha256 ${summary.sha256} (${summary.sidecar})`);
  });

  addCentralOptions(
    program
      .command('sync')
      .description(
        "push a station file's chained records to the central store (idempotent, resumable, in order)",
      )
      .requiredOption('--db <FILE>', "the station's evidence file (read-only)")
      .option('--station <ID>', 'the central station id (default: the one station the file records)')
      .option('--full', 're-send every stored record and compare it with the stored copy')
      .option('--watch', 'keep pushing as the file grows (Ctrl-C to stop)')
      .addOption(new Option('--method <M>', 'bulk path').choices(['copy', 'insert']).default('copy'))
      .option('--chunk <N>', 'records per transaction', integerOption('--chunk', 1, 10_000_000), 50_000)
      .addHelpText(
        'after',
        '\nExamples:\n' +
          '  credline sync --db line1.db --central postgresql://line1@db:5432/credline\n' +
          '  credline sync --db line1.db --central-env CENTRAL_URL --full\n' +
          'Exit 1 when the store refused something (named, and kept as a finding); 3 when it cannot be reached.\n',
      ),
  ).action(
    async (
      opts: CentralOptions & {
        db: string;
        station?: string;
        full?: boolean;
        watch?: boolean;
        method: 'copy' | 'insert';
        chunk: number;
      },
    ) => {
      const target = targetOf(opts);
      const once = async (full: boolean): Promise<SyncReport> => {
        const progress = startProgress('pushing to the central store', {
          unit: 'records',
          quiet: opts.format === 'json',
        });
        const report = await syncStation({
          file: opts.db,
          target,
          stationId: opts.station,
          full,
          method: opts.method,
          chunkRows: opts.chunk,
          onProgress: syncProgress(progress),
        }).finally(() => progress.end());
        printSync(report, opts.format);
        return report;
      };
      const first = await once(opts.full === true);
      if (first.findings.length > 0) return reportExitCode(ExitCode.failed);
      if (opts.watch) await watchAndSync(opts.db, () => once(false));
    },
  );
}

/**
 * The progress line of `credline sync`: records pushed by this sync, of those the store did not yet hold, counted
 * from the start of the command (the first report comes after the first transaction).
 */
function syncProgress(progress: Progress): NonNullable<SyncOptions['onProgress']> {
  let counted: number | undefined;
  return (p) => {
    const done = p.centralHead - p.centralHeadBefore;
    progress.advance(done - (counted ?? 0));
    if (counted === undefined)
      progress.relabel(
        `pushing station ${p.stationId} to the central store`,
        p.localHead - p.centralHeadBefore,
      );
    counted = done;
  };
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function printSync(report: SyncReport, format: 'text' | 'json'): void {
  if (format === 'json') return printJson(report);
  for (const f of report.findings) write(`REFUSED ${f.kind}: ${f.detail}`);
  if (report.findings.length > 0) return;
  const compared =
    report.comparedRecords > 0 ? `, compared ${report.comparedRecords} stored records: all equal` : '';
  write(
    `station ${report.stationId}: pushed ${count(report.pushedRecords, 'record')} and ` +
      `${count(report.pushedCheckpoints, 'checkpoint')}` +
      `${compared}; central head seq ${report.centralHead} = file head seq ${report.localHead.seq}`,
  );
}

/** Pushes again whenever the file (or its WAL) changes, until Ctrl-C; a refusal ends it with exit 1. */
async function watchAndSync(file: string, sync: () => Promise<SyncReport>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let running = false;
    let again = false;
    const watchers = [file, `${file}-wal`].map((path) => {
      try {
        return watch(path, () => void kick());
      } catch {
        return undefined;
      }
    });
    const stop = (): void => {
      for (const w of watchers) w?.close();
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    const kick = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const report = await sync();
          if (report.findings.length > 0) {
            reportExitCode(ExitCode.failed);
            stop();
            return;
          }
        } while (again);
      } catch (error) {
        if (error instanceof CredlineError && error.exitCode === ExitCode.transport) {
          process.stderr.write(`credline: ${error.message} (retrying on the next change)\n`);
        } else {
          for (const w of watchers) w?.close();
          reject(error);
        }
      } finally {
        running = false;
      }
    };
  });
}

function publicKeyOf(
  opts: { stationKey?: string | undefined; publicKey?: string | undefined },
  fileOption = '--station-key',
): string {
  if ((opts.stationKey === undefined) === (opts.publicKey === undefined))
    throw usageError('CENTRAL_STATION_KEY', `give ${fileOption} FILE or --public-key HEX (one of them)`);
  if (opts.publicKey !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(opts.publicKey))
      throw usageError('CENTRAL_PUBLIC_KEY', '--public-key: expected 64 hex digits (an Ed25519 public key)');
    return opts.publicKey.toLowerCase();
  }
  const header = readKeyFileHeader(opts.stationKey as string);
  if (header.kind !== 'station' || header.publicKey === undefined)
    throw usageError(
      'CENTRAL_STATION_KEY',
      `${opts.stationKey}: not a station key (credline keys create --kind station)`,
    );
  return header.publicKey;
}
