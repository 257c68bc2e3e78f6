/**
 * `credline provision`: the operator's command on the line. Parsing and printing only; the loop is src/station.
 */
import { hostname, userInfo } from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { usageError } from '../errors/credline-error.js';
import { isPkcs11Uri } from '../keys/index.js';
import { isCalendarDate } from '../compliance/index.js';
import { loadProfile } from '../profiles/index.js';
import { DEFAULT_ZPL_LAYOUT, LABEL_FORMATS, type LabelFormat } from '../labels/index.js';
import { runProvisioning, type ProvisioningPlan } from '../station/index.js';
import { windDownWhenOutputCloses } from './closed-output.js';
import { keySource, lineKeySource } from './open-line-key.js';
import { createProvisionPrinter } from './provision-output.js';
import { resolveExisting } from './resolve-path.js';
import { readSerialList } from './serial-list.js';
import { reportExitCode } from './exit-status.js';
import { integerOption } from './integer-option.js';
import { addPassphraseOptions } from './passphrase-options.js';
import { addTokenOptions } from './token-options.js';
import {
  addCentralOptions,
  assertOrderMode,
  centralTargetOf,
  startCentralSide,
  type CentralOptions,
} from './provision-central-options.js';
import { consoleBeside } from './provision-console.js';
import { addOrderOptions, orderPlanOf, type OrderOptions } from './provision-order-options.js';

interface ProvisionOptions extends CentralOptions, OrderOptions {
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
  reprovision: string[];
  reprovisionFile?: string;
  reason?: string;
  allowTestKey?: boolean;
  waitForPort?: boolean;
  supportEnd?: string;
  format: 'text' | 'jsonl';
  trace?: string;
  serve?: string;
  serveTokenFile?: string;
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
    .requiredOption(
      '--key <FILE|URI>',
      'sealed line key file (unsealed once, kept in memory only), or pkcs11:token=…;object=… (the key stays in the token)',
    )
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
    .option(
      '--reprovision <SERIAL>',
      'this unit may be re-provisioned although it already passed (repeatable; needs --reason)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      '--reprovision-file <FILE>',
      'the units that may be re-provisioned, one serial per line (blank lines and # comments skipped)',
    )
    .option(
      '--reason <TEXT>',
      'why the named units are re-provisioned (recorded with each re-provisioned unit)',
    )
    .option(
      '--support-end <YYYY-MM-DD>',
      'end of the defined support period: needed for a new batch; a later date extends an existing batch',
      calendarDate,
    )
    .option(
      '--allow-test-key',
      'provision with the published test-vector key or a key made with keys create --demo (tests, demos): every record says so',
    )
    .option('--wait-for-port', 'wait for a --port that does not exist yet or is held by another process')
    .option(
      '--station-key <FILE>',
      'sealed station signing key: signs the evidence chain head at the end of the run',
    )
    .option(
      '--serve <HOST:PORT>',
      "also serve the read-only web console over this run's evidence store (loopback unless --serve-token-file); the URL is printed on stderr",
    )
    .option(
      '--serve-token-file <FILE>',
      'with --serve on a non-loopback address: a 0600 file holding the console access token',
    )
    .option('--trace <FILE>', 'write a serial trace (passwords and verifiers redacted) to FILE');
  addOrderOptions(cmd);
  addCentralOptions(cmd);
  cmd.addOption(
    new Option('--format <FORMAT>', 'per-device output').choices(['text', 'jsonl']).default('text'),
  );
  addPassphraseOptions(cmd, 'passphrase', 'the line key');
  addTokenOptions(cmd);
  addPassphraseOptions(cmd, 'station-passphrase', 'the station key');
  cmd.addHelpText(
    'after',
    '\nEach device prints one line: PASS or FAIL, serial, port, and the reason code for a FAIL.\n' +
      'Ctrl-C once finishes the devices in hand and stops; twice aborts them (recorded as ABORTED).\n' +
      'Exit 0 only when every device was PASS (and --count devices were done); 1 otherwise; 2 for a key or\n' +
      'config error before the run; 3 when a port cannot be opened at start (it does not exist, or another\n' +
      'process holds it: named) without --wait-for-port, or when the token holding the line key stops\n' +
      'answering during the run (the units in hand end FAIL or ABORTED, never PASS).\n\n' +
      'Examples:\n  credline provision --profile credline-agent --key line.ckey --passphrase-env LINE_PASS \\\n' +
      '    --batch B2026-11 --support-end 2031-12-31 --db line1.db --port /dev/ttyUSB0 --port /dev/ttyUSB1 --count 200\n' +
      '  credline provision --key "pkcs11:token=line3;object=line-key" --pkcs11-module /usr/lib/softhsm/libsofthsm2.so \\\n' +
      '    --pin-env LINE3_PIN ...   (the line key in a PKCS#11 token)\n' +
      '  credline provision ... --order WO-42.order.json --order-signer 5b1f0c… --station-key line1.station.ckey\n' +
      "    (at most the order's quantity of PASS units, only its serials; blank units get its next unused serial)\n" +
      '  credline provision ... --reprovision KL2301-100001 --reason "RMA 4411: main board replaced"\n',
  );
  cmd.action(async (opts: ProvisionOptions) => runProvision(opts));
}

async function runProvision(opts: ProvisionOptions): Promise<void> {
  const plan = provisionPlan(opts);
  const target = await centralTargetOf(opts);
  assertOrderMode(opts, plan.order !== undefined, target);
  const central =
    target &&
    (await startCentralSide(target, opts.centralMode, {
      dbFile: plan.dbFile,
      stationId: plan.stationId,
      hasOrder: plan.order !== undefined,
    }));
  const webConsole =
    opts.serve === undefined ? undefined : await consoleBeside(opts.serve, opts.serveTokenFile, opts.db);
  const stop = new AbortController();
  const undoWindDown = windDownWhenOutputCloses(() => {
    process.stderr.write('credline: standard output was closed; stopping after the devices in hand\n');
    stop.abort();
  });
  try {
    const push = await central?.push;
    const print = createProvisionPrinter(opts.format, opts.count, push?.status);
    const printed = push === undefined ? print : push.printer(print);
    const shared = central?.orderSlots?.open;
    const outcome = await runProvisioning(
      {
        ...plan,
        ...(plan.order && shared ? { order: { ...plan.order, shared } } : {}),
        stop: stop.signal,
        ...(central?.reserving ? { reserve: central.reserving.reserve } : {}),
      },
      (event, tally) => {
        printed(event, tally);
        if (event.type === 'start') webConsole?.start();
      },
    );
    await push?.finish();
    if (!outcome.complete) reportExitCode(1);
  } finally {
    undoWindDown();
    await central?.close();
    await webConsole?.close();
  }
}

/** The options as a plan: cross-option rules, the profile, and the key files' headers (read now, opened later). */
function provisionPlan(opts: ProvisionOptions): ProvisioningPlan {
  const named = opts.reprovision.length > 0 || opts.reprovisionFile !== undefined;
  if (named && !opts.reason)
    throw usageError('REPROVISION_REASON', '--reprovision needs --reason TEXT (it is recorded)');
  if (opts.reason && !named)
    throw usageError('REPROVISION_REASON', '--reason is only used with --reprovision or --reprovision-file');
  if (opts.labels) assertDistinctOutputs(opts);
  const order = orderPlanOf(opts);
  return {
    profile: loadProfile(opts.profile),
    lineKey: lineKeySource(opts.key, opts),
    ...(opts.stationKey
      ? { stationKey: keySource(opts.stationKey, opts, 'station-passphrase', 'station key') }
      : {}),
    dbFile: opts.db,
    batchId: opts.batch,
    ...optional('supportEnd', opts.supportEnd),
    stationId: opts.station,
    ...optional('operator', opts.operator ?? safeUserName()),
    ports: opts.port,
    ...optional('count', opts.count),
    ...(named
      ? {
          reprovision: {
            reason: opts.reason ?? '',
            units: [
              ...opts.reprovision.map((serial) => ({
                serial,
                source: `--reprovision ${JSON.stringify(serial)}`,
              })),
              ...(opts.reprovisionFile === undefined ? [] : readSerialList(opts.reprovisionFile)),
            ],
          },
        }
      : {}),
    allowTestKey: opts.allowTestKey ?? false,
    waitForPort: opts.waitForPort ?? false,
    ...(opts.labels === undefined
      ? {}
      : {
          labels: {
            target: opts.labels,
            format: opts.labelFormat,
            layout: { ...DEFAULT_ZPL_LAYOUT, dpi: opts.labelDpi },
          },
        }),
    ...optional('traceFile', opts.trace),
    ...(order ? { order } : {}),
  };
}

/** A YYYY-MM-DD date that exists. */
function calendarDate(value: string): string {
  if (!isCalendarDate(value)) throw new InvalidArgumentError('expected a date YYYY-MM-DD, e.g. 2031-12-31');
  return value;
}

/** `{ [name]: value }`, or nothing when the value is undefined (exactOptionalPropertyTypes). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

/** The label output must not be the evidence store, a key file or the trace: labels would overwrite or leak there. */
function assertDistinctOutputs(opts: ProvisionOptions): void {
  const labels = resolveExisting(opts.labels ?? '');
  const others: Array<[string, string | undefined]> = [
    ['--db', opts.db],
    ['--db', `${opts.db}-wal`],
    ['--db', `${opts.db}-shm`],
    ['--key', isPkcs11Uri(opts.key) ? undefined : opts.key],
    ['--station-key', opts.stationKey],
    ['--trace', opts.trace],
    ['--order-report', opts.order === undefined ? undefined : opts.orderReport],
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
