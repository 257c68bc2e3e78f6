/**
 * `credline provision`: the operator's command on the line. Parsing and printing only; the loop is src/station.
 */
import { hostname, userInfo } from 'node:os';
import { createWriteStream, type WriteStream } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { keyId as lineKeyId } from '../derive/key-id.js';
import { entropyBits } from '../derive/alphabet.js';
import { usageError } from '../errors/credline-error.js';
import { openEvidenceStore, type EvidenceStore } from '../evidence/index.js';
import { openKeyFile, readKeyFileHeader, type OpenedKey } from '../keys/key-file.js';
import { createPasswordPolicy } from '../policy/index.js';
import { loadProfile } from '../profiles/load-profile.js';
import { policyOptionsOf } from '../profiles/profile-policy.js';
import { DEFAULT_ZPL_LAYOUT, LABEL_FORMATS, type LabelFormat } from '../labels/index.js';
import { openLabelWriter, type LabelWriter } from '../station/label-writer.js';
import { startStation } from '../station/run-station.js';
import type { DeviceEvent, StationEvent } from '../station/station-types.js';
import { windDownWhenOutputCloses } from './closed-output.js';
import { resolveExisting } from './resolve-path.js';
import { reportExitCode } from './exit-status.js';
import { integerOption } from './integer-option.js';
import { addPassphraseOptions, passphraseSource, readPassphrase } from './passphrase-options.js';

interface ProvisionOptions {
  profile: string;
  key: string;
  stationKey?: string;
  batch: string;
  db: string;
  port: string[];
  station: string;
  operator?: string;
  count?: number;
  labels?: string;
  labelFormat: LabelFormat;
  labelDpi: number;
  reprovision?: boolean;
  reason?: string;
  supportEnd?: string;
  format: 'text' | 'jsonl';
  trace?: string;
  [option: string]: unknown;
}

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
};

export function registerProvisionCommand(program: Command): void {
  const cmd = program
    .command('provision')
    .description('provision devices on serial ports: each gets its own keyed password, verified and recorded')
    .requiredOption('--profile <FILE>', 'device profile (a file, or a shipped id such as u-boot)')
    .requiredOption('--key <FILE>', 'sealed line key file (unsealed once, kept in memory only)')
    .requiredOption('--batch <ID>', 'batch id recorded with every device')
    .requiredOption('--db <FILE>', 'evidence store (SQLite; created 0600 when missing)')
    .requiredOption(
      '--port <PATH>',
      'serial port; repeat for gang mode (one state machine per port)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option('--station <ID>', 'station id recorded with every device', hostname())
    .option('--operator <NAME>', 'operator recorded with every device (default: the login name)')
    .option(
      '--count <N>',
      'stop after N devices in total across all ports (default: run until Ctrl-C)',
      positive,
    )
    .option(
      '--labels <TARGET>',
      'one label per PASS (serial, password, QR code): a file (0600) or named pipe; with --label-format zpl also a ' +
        "printer's device file or tcp://HOST:9100",
    )
    .addOption(
      new Option('--label-format <FORMAT>', 'label format: JSON lines or Zebra ZPL')
        .choices([...LABEL_FORMATS])
        .default('jsonl'),
    )
    .option(
      '--label-dpi <DPI>',
      'ZPL: printer resolution (50 × 25 mm labels)',
      integerOption('--label-dpi', 100, 1200),
      203,
    )
    .option('--reprovision', 're-provision units that already passed under this key (needs --reason)')
    .option('--reason <TEXT>', 'why units are re-provisioned (recorded with each)')
    .option('--support-end <YYYY-MM-DD>', 'end of the defined support period (needed when the batch is new)')
    .option(
      '--station-key <FILE>',
      'sealed station signing key: signs the evidence chain head at the end of the run',
    )
    .option('--trace <FILE>', 'write a serial trace (passwords and verifiers redacted) to FILE')
    .addOption(
      new Option('--format <FORMAT>', 'per-device output').choices(['text', 'jsonl']).default('text'),
    );
  addPassphraseOptions(cmd, 'passphrase', 'the line key');
  addPassphraseOptions(cmd, 'station-passphrase', 'the station key');
  cmd.addHelpText(
    'after',
    '\nEach device prints one line: PASS or FAIL, serial, port, and the reason code for a FAIL.\n' +
      'Ctrl-C once finishes the devices in hand and stops; twice aborts them (recorded as ABORTED).\n' +
      'Exit 0 only when every device was PASS (and --count devices were done); 1 otherwise.\n\n' +
      'Example:\n  credline provision --profile credline-agent --key line.ckey --passphrase-env LINE_PASS \\\n' +
      '    --batch B2026-11 --support-end 2031-12-31 --db line1.db --port /dev/ttyUSB0 --port /dev/ttyUSB1 --count 200\n',
  );
  cmd.action(async (opts: ProvisionOptions) => runProvision(opts));
}

async function runProvision(opts: ProvisionOptions): Promise<void> {
  if (opts.reprovision && !opts.reason)
    throw usageError('REPROVISION_REASON', '--reprovision needs --reason TEXT (it is recorded)');
  if (opts.reason && !opts.reprovision)
    throw usageError('REPROVISION_REASON', '--reason is only used with --reprovision');
  if (new Set(opts.port).size !== opts.port.length)
    throw usageError('PORT_TWICE', 'the same --port is given twice');
  const loaded = loadProfile(opts.profile);
  const { profile } = loaded;
  const header = readKeyFileHeader(opts.key);
  if (header.kind !== 'line')
    throw usageError('KEY_KIND', `${opts.key} is a ${header.kind} key; --key needs a line key`);
  if (opts.stationKey && readKeyFileHeader(opts.stationKey).kind !== 'station') {
    throw usageError('KEY_KIND', `${opts.stationKey} is not a station key`);
  }
  if (opts.labels) assertDistinctOutputs(opts);
  let lineKey: Uint8Array | undefined;
  let station: OpenedKey | undefined;
  let store: EvidenceStore | undefined;
  let labels: LabelWriter | undefined;
  let trace: WriteStream | undefined;
  try {
    // Keys first: a wrong passphrase (or Ctrl-C at the prompt) leaves no file behind.
    const passphrase = await readPassphrase(passphraseSource(opts), {
      prompt: `Passphrase for line key ${opts.key}: `,
    });
    const opened = await openKeyFile(opts.key, passphrase);
    lineKey = opened.secret;
    // The station signing key is unsealed at start too, so a wrong passphrase stops the run before any device.
    if (opts.stationKey) {
      const stationPass = await readPassphrase(passphraseSource(opts, 'station-passphrase'), {
        prompt: `Passphrase for station key ${opts.stationKey}: `,
        optionPrefix: 'station-passphrase',
      });
      station = await openKeyFile(opts.stationKey, stationPass);
    }
    store = openEvidenceStore(opts.db, { create: true });
    if (opts.labels) {
      labels = openLabelWriter(opts.labels, {
        format: opts.labelFormat,
        layout: { ...DEFAULT_ZPL_LAYOUT, dpi: opts.labelDpi },
        onWaitForReader: (path) =>
          process.stderr.write(`credline: waiting for the label printer to open ${path} (Ctrl-C to stop)\n`),
      });
    }
    const traceFile = opts.trace ? createWriteStream(opts.trace, { flags: 'a', mode: 0o600 }) : undefined;
    trace = traceFile;
    const keyId = lineKeyId(lineKey);
    const stationId = opts.station;
    store.ensureStation({ stationId });
    store.registerLineKey(keyId, header.label);
    const known = store.getBatch(opts.batch);
    const supportEndDate = known?.supportEndDate ?? opts.supportEnd;
    if (!supportEndDate)
      throw usageError(
        'SUPPORT_END',
        `batch ${opts.batch} is new: give --support-end YYYY-MM-DD (end of the support period)`,
      );
    store.ensureBatch({
      batchId: opts.batch,
      productType: profile.product.type,
      profileId: profile.id,
      profileRevision: profile.revision,
      profileHash: loaded.hash,
      ...(known?.firmware ? { firmware: known.firmware } : {}),
      supportEndDate,
    });
    const policy = createPasswordPolicy(policyOptionsOf(profile));
    const operator = opts.operator ?? safeUserName();
    const printer = createPrinter(opts.format, opts.count);
    process.stderr.write(
      `credline: provisioning ${profile.id} r${profile.revision} (${entropyBits(profile.passwordPolicy.alphabet.length, profile.passwordPolicy.length).toFixed(1)}-bit passwords) ` +
        `with key ${keyId} on ${opts.port.length} port(s), batch ${opts.batch}, evidence ${opts.db}\n`,
    );
    const run = startStation({
      profile: loaded,
      lineKey,
      keyId,
      store,
      batchId: opts.batch,
      stationId,
      ...(operator ? { operator } : {}),
      ports: opts.port,
      ...(opts.count === undefined ? {} : { count: opts.count }),
      ...(opts.reprovision && opts.reason ? { reprovisionReason: opts.reason } : {}),
      ...(labels ? { labels } : {}),
      policy,
      ...(traceFile
        ? {
            trace: (e) => traceFile.write(`${new Date().toISOString()} ${e.port} ${e.direction} ${e.text}\n`),
          }
        : {}),
      onEvent: printer.print,
    });
    let interrupts = 0;
    const onSigint = (): void => {
      interrupts++;
      if (interrupts === 1) {
        process.stderr.write('\ncredline: stopping after the devices in hand (Ctrl-C again to abort them)\n');
        run.stop();
      } else {
        process.stderr.write('\ncredline: aborting the devices in hand\n');
        run.abort();
      }
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    const undoWindDown = windDownWhenOutputCloses(() => {
      process.stderr.write('credline: standard output was closed; stopping after the devices in hand\n');
      run.stop();
    });
    let summary;
    let stopped: unknown;
    try {
      summary = await run.done;
    } catch (error) {
      // The line had to stop (label output, evidence store): still report what was done and sign it.
      stopped = error;
      summary = run.summary();
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      undoWindDown();
    }
    printer.finish(summary);
    if (station) {
      try {
        const cp = store.writeCheckpoint(station.secret, { stationId, reason: 'run-end' });
        process.stderr.write(
          `credline: chain head ${cp.headSeq}:${cp.headHash.slice(0, 16)}… signed by station key ${station.header.keyId}\n`,
        );
      } catch (error) {
        if (!stopped) throw error;
        process.stderr.write('credline: the chain head could not be signed (see the error below)\n');
      }
    } else {
      process.stderr.write(
        'credline: no --station-key: the chain head was not signed (credline evidence checkpoint can do it later)\n',
      );
    }
    if (stopped) throw stopped;
    const short = opts.count !== undefined && summary.pass + summary.fail + summary.aborted < opts.count;
    if (summary.fail > 0 || summary.aborted > 0 || short) reportExitCode(1);
  } finally {
    lineKey?.fill(0);
    station?.secret.fill(0);
    labels?.close();
    trace?.end();
    store?.close();
  }
}

/** The label output must not be the evidence store, a key file or the trace: labels would overwrite or leak there. */
function assertDistinctOutputs(opts: ProvisionOptions): void {
  const labels = resolveExisting(opts.labels ?? '');
  const others: Array<[string, string | undefined]> = [
    ['--db', opts.db],
    ['--db', `${opts.db}-wal`],
    ['--db', `${opts.db}-shm`],
    ['--key', opts.key],
    ['--station-key', opts.stationKey],
    ['--trace', opts.trace],
  ];
  for (const [option, path] of others) {
    if (path !== undefined && resolveExisting(path) === labels) {
      throw usageError(
        'LABELS_PATH',
        `--labels ${opts.labels} is the ${option} file; give the labels their own file`,
      );
    }
  }
}

function safeUserName(): string | undefined {
  try {
    return process.env['USER'] ?? userInfo().username;
  } catch {
    return undefined;
  }
}

interface Printer {
  print(event: StationEvent): void;
  finish(summary: { pass: number; fail: number; aborted: number; elapsedMs: number }): void;
}

function createPrinter(format: 'text' | 'jsonl', count: number | undefined): Printer {
  const tty = process.stdout.isTTY === true && format === 'text';
  const started = performance.now();
  const tally = { pass: 0, fail: 0, aborted: 0 };
  const rate = (): number =>
    ((tally.pass + tally.fail + tally.aborted) * 60_000) / Math.max(performance.now() - started, 1);
  const status = (): void => {
    if (!process.stderr.isTTY) return;
    const done = tally.pass + tally.fail + tally.aborted;
    process.stderr.write(
      `\r\x1b[K  ${tally.pass} PASS  ${tally.fail} FAIL  ${done}${count ? `/${count}` : ''} done  ${rate().toFixed(1)} devices/min`,
    );
  };
  return {
    print(event) {
      if (event.type === 'device') {
        if (event.result === 'PASS') tally.pass++;
        else if (event.result === 'ABORTED') tally.aborted++;
        else tally.fail++;
      }
      if (format === 'jsonl') {
        process.stdout.write(`${JSON.stringify({ ...event, at: new Date().toISOString() })}\n`);
        return;
      }
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      if (event.type === 'port') {
        process.stderr.write(
          `port ${event.port}: ${event.state}${event.detail ? ` (${event.detail})` : ''}\n`,
        );
      } else {
        process.stdout.write(`${formatDevice(event, tty)}\n`);
      }
      status();
    },
    finish(summary) {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      const minutes = summary.elapsedMs / 60_000;
      const line = `summary: ${summary.pass} PASS, ${summary.fail} FAIL, ${summary.aborted} ABORTED in ${(summary.elapsedMs / 1000).toFixed(1)} s (${((summary.pass + summary.fail + summary.aborted) / Math.max(minutes, 1e-9)).toFixed(1)} devices/min)`;
      if (format === 'jsonl') process.stdout.write(`${JSON.stringify({ type: 'summary', ...summary })}\n`);
      else process.stdout.write(`${line}\n`);
    },
  };
}

/** The operator's line: `PASS  serial  port  ...` or `FAIL  serial  port  reason: detail`. */
export function formatDevice(e: DeviceEvent, colour: boolean): string {
  const mark = e.result === 'PASS' ? ' PASS ' : e.result === 'ABORTED' ? ' ABORT' : ' FAIL ';
  const painted = colour
    ? e.result === 'PASS'
      ? `\x1b[1;42;30m${mark}\x1b[0m`
      : `\x1b[1;41;97m${mark}\x1b[0m`
    : mark.trim().padEnd(5);
  const serial = (e.serial ?? '(no serial)').padEnd(18);
  const tail =
    e.result === 'PASS'
      ? `attempt ${e.attempt ?? 0}${e.reprovisioned ? ', re-provisioned' : ''}, evidence #${e.evidenceSeq ?? '-'}`
      : `${e.reason ?? 'failed'}: ${e.detail ?? ''}`;
  return `${painted} ${serial} ${e.port}  ${tail}`;
}
