/**
 * `credline order create|show|verify|report|verify-report`: work orders signed by the product owner's order key,
 * and the station's signed report of what it made under one. Parsing and printing only; the work is in src/orders.
 */
import { hostname } from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { openEvidenceStore, readEvidenceStore, type EvidenceStore } from '../evidence/index.js';
import { assertWritableTarget, writeFileAtomic, type KeyKind } from '../keys/index.js';
import { openSealedKey } from './open-line-key.js';
import {
  assertOrderSigned,
  checkOrderReport,
  createOrderReport,
  createSignedOrder,
  formatDocument,
  readOrderFile,
  readOrderReportFile,
  readSerialList,
  serialPoolOf,
  storeOrderReport,
  type SerialSpec,
  type SignedOrder,
} from '../orders/index.js';
import { loadProfile } from '../profiles/index.js';
import { reportExitCode } from './exit-status.js';
import { addPassphraseOptions } from './passphrase-options.js';

const whole =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}`);
    return n;
  };

export function registerOrderCommands(program: Command): void {
  const order = program
    .command('order')
    .description(
      'work orders: signed bounds on a run (serials, quantity, stations, validity) and their reports',
    );
  registerCreate(order);
  registerShow(order);
  registerVerify(order);
  registerReport(order);
  registerVerifyReport(order);
}

async function openSeed(
  path: string,
  kind: KeyKind,
  opts: Record<string, unknown>,
  prefix: string,
): Promise<Uint8Array> {
  const opened = await openSealedKey(path, opts, { prompt: `Passphrase for ${path}: `, prefix });
  if (opened.header.kind !== kind) {
    opened.secret.fill(0);
    throw usageError('KEY_KIND', `${path} is a ${opened.header.kind} key; a ${kind} key is needed here`);
  }
  return opened.secret;
}

interface CreateOptions {
  orderKey: string;
  id: string;
  product: string;
  profile: string;
  lineKeyId: string;
  serialPrefix?: string;
  serialWidth?: number;
  serialFirst?: number;
  serialLast?: number;
  serialsFile?: string;
  quantity: number;
  validFrom?: string;
  validUntil: string;
  station: string[];
  out: string;
  force?: boolean;
  [option: string]: unknown;
}

function serialSpecOf(opts: CreateOptions): SerialSpec {
  const range = [opts.serialPrefix, opts.serialWidth, opts.serialFirst, opts.serialLast];
  if (opts.serialsFile !== undefined) {
    if (range.some((v) => v !== undefined))
      throw usageError('ORDER_USAGE', 'give a serial range or --serials-file, not both');
    const list = readSerialList(opts.serialsFile);
    return { kind: 'list', sha256: list.sha256, count: list.serials.length };
  }
  if (opts.serialWidth === undefined || opts.serialFirst === undefined || opts.serialLast === undefined) {
    throw usageError(
      'ORDER_USAGE',
      'give the serials: --serial-prefix P --serial-width W --serial-first N --serial-last N, or --serials-file F',
    );
  }
  return {
    kind: 'range',
    prefix: opts.serialPrefix ?? '',
    width: opts.serialWidth,
    first: opts.serialFirst,
    last: opts.serialLast,
  };
}

function registerCreate(order: Command): void {
  const cmd = order
    .command('create')
    .description("write a work order signed with the product owner's order key")
    .requiredOption('--order-key <FILE>', 'sealed order key (credline keys create --kind order)')
    .requiredOption('--id <ORDER_ID>', 'order id, e.g. WO-2026-0042')
    .requiredOption('--product <TEXT>', 'the product, in words')
    .requiredOption(
      '--profile <FILE|ID>',
      'the device profile the units are provisioned with (its hash is bound)',
    )
    .requiredOption('--line-key-id <ID>', 'the line key the passwords must come from (credline keys info)')
    .option('--serial-prefix <P>', 'serial range: the text before the number (default: none)')
    .option('--serial-width <W>', 'serial range: digits in the zero-padded number', whole(1))
    .option('--serial-first <N>', 'serial range: first number', whole(0))
    .option('--serial-last <N>', 'serial range: last number (inclusive)', whole(0))
    .option(
      '--serials-file <FILE>',
      'instead of a range: the allowed serials, one a line (bound by its SHA-256)',
    )
    .requiredOption('--quantity <N>', 'PASS units the order allows', whole(1))
    .option('--valid-from <ISO>', 'start of validity, ISO-8601 UTC (default: now)')
    .requiredOption('--valid-until <ISO>', 'end of validity (exclusive), ISO-8601 UTC')
    .requiredOption(
      '--station <ID>',
      'a station allowed to run the order; repeat for several',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .requiredOption('--out <FILE>', 'the order file to write')
    .option('--force', 'replace FILE if it exists');
  addPassphraseOptions(cmd, 'passphrase', 'the order key');
  cmd.addHelpText(
    'after',
    '\nExample:\n  credline order create --order-key owner.ckey --id WO-42 --product "Acme Cam 2" --profile credline-agent \\\n' +
      '    --line-key-id d9c183eb84616abf --serial-prefix KL2301- --serial-width 6 --serial-first 100001 --serial-last 100010 \\\n' +
      '    --quantity 10 --valid-until 2026-12-31T00:00:00Z --station line1 --out WO-42.order.json\n',
  );
  cmd.action(async (opts: CreateOptions) => {
    assertWritableTarget(opts.out, opts.force ?? false);
    const { profile, hash } = loadProfile(opts.profile);
    const now = new Date();
    const seconds = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;
    const draft = {
      orderId: opts.id,
      product: opts.product,
      profileId: profile.id,
      profileHash: hash,
      lineKeyId: opts.lineKeyId,
      serials: serialSpecOf(opts),
      quantity: opts.quantity,
      validFrom: opts.validFrom ?? seconds(now),
      validUntil: opts.validUntil,
      stations: opts.station,
      issuedAt: seconds(now),
    };
    const seed = await openSeed(opts.orderKey, 'order', opts, 'passphrase');
    try {
      const signed = createSignedOrder(draft, seed, 'the order');
      writeFileAtomic(opts.out, formatDocument(signed), { overwrite: opts.force ?? false });
      process.stdout.write(
        `wrote work order ${signed.order.orderId} (${signed.order.quantity} units) to ${opts.out}, signed by order key ${signed.signature.keyId}\n`,
      );
    } finally {
      seed.fill(0);
    }
  });
}

function describeSerials(spec: SerialSpec): string {
  if (spec.kind === 'list') return `the ${spec.count} serials of a list with SHA-256 ${spec.sha256}`;
  const at = (n: number): string => `${spec.prefix}${String(n).padStart(spec.width, '0')}`;
  return `${at(spec.first)} … ${at(spec.last)} (${spec.last - spec.first + 1})`;
}

function formatOrderText(signed: SignedOrder, file: string): string {
  const o = signed.order;
  const rows: [string, string][] = [
    ['file', file],
    ['order', o.orderId],
    ['product', o.product],
    ['profile', `${o.profileId}, hash ${o.profileHash}`],
    ['line key', o.lineKeyId],
    ['serials', describeSerials(o.serials)],
    ['quantity', `${o.quantity} PASS units`],
    ['valid', `from ${o.validFrom} until ${o.validUntil}`],
    ['stations', o.stations.join(', ')],
    ['issued', o.issuedAt],
    ['signed by', `order key ${signed.signature.keyId} (Ed25519 ${signed.signature.publicKey})`],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(11)}${v}\n`).join('');
}

function registerShow(order: Command): void {
  order
    .command('show')
    .description('print a work order (its signature is not checked: use order verify)')
    .argument('<FILE>', 'the order file')
    .addOption(new Option('--format <F>', 'output format').choices(['text', 'json']).default('text'))
    .action((file: string, opts: { format: 'text' | 'json' }) => {
      const signed = readOrderFile(file);
      process.stdout.write(opts.format === 'json' ? formatDocument(signed) : formatOrderText(signed, file));
    });
}

function registerVerify(order: Command): void {
  order
    .command('verify')
    .description("check a work order's signature (and signer, and serial list)")
    .argument('<FILE>', 'the order file')
    .option('--order-signer <KEY_ID>', 'the order key id to expect')
    .option('--order-serials <FILE>', "the order's serial list file, to check it is the one it names")
    .action((file: string, opts: { orderSigner?: string; orderSerials?: string }) => {
      const signed = readOrderFile(file);
      try {
        assertOrderSigned(signed, file);
      } catch (error) {
        if (error instanceof CredlineError) {
          throw new CredlineError(error.code, error.message, { exitCode: ExitCode.failed });
        }
        throw error;
      }
      if (opts.orderSigner !== undefined && opts.orderSigner !== signed.signature.keyId) {
        throw new CredlineError(
          'ORDER_SIGNER',
          `${file} is signed by order key ${signed.signature.keyId}, not ${opts.orderSigner}`,
          {
            exitCode: ExitCode.failed,
          },
        );
      }
      if (signed.order.serials.kind === 'list' || opts.orderSerials !== undefined)
        serialPoolOf(signed.order.serials, opts.orderSerials);
      process.stdout.write(
        `work order ${signed.order.orderId}: signature OK (order key ${signed.signature.keyId})\n`,
      );
    });
}

function registerReport(order: Command): void {
  const cmd = order
    .command('report')
    .description(
      "write the station's signed report of an order from the evidence store, and keep it there (sealed into the chain)",
    )
    .requiredOption('--db <FILE>', 'the evidence store')
    .requiredOption('--order <FILE>', 'the work order')
    .requiredOption('--station-key <FILE>', "the station's sealed signing key")
    .option('--station <ID>', 'the station id the report names', hostname())
    .requiredOption('--out <FILE>', 'the report file to write')
    .option('--force', 'replace FILE if it exists');
  addPassphraseOptions(cmd, 'station-passphrase', 'the station key');
  cmd.action(
    async (
      opts: {
        db: string;
        order: string;
        stationKey: string;
        station: string;
        out: string;
        force?: boolean;
      } & Record<string, unknown>,
    ) => {
      assertWritableTarget(opts.out, opts.force ?? false);
      const signed = readOrderFile(opts.order);
      assertOrderSigned(signed, opts.order);
      const seed = await openSeed(opts.stationKey, 'station', opts, 'station-passphrase');
      const store = openEvidenceStore(opts.db);
      try {
        const report = createOrderReport(store, signed, { stationId: opts.station, seed });
        writeFileAtomic(opts.out, storeOrderReport(store, report), { overwrite: opts.force ?? false });
        const r = report.report;
        process.stdout.write(
          `order ${r.orderId}: ${r.pass} PASS of ${r.quantity}, ${r.fail} FAIL, ${r.spent} spent, ${r.refused} refused, ` +
            `${r.remaining} remaining; chain head ${r.chainHead.seq}; signed by station key ${report.signature.keyId} -> ${opts.out} ` +
            `(stored in ${opts.db} too, sealed into its chain)\n`,
        );
      } finally {
        store.close();
        seed.fill(0);
      }
    },
  );
}

function registerVerifyReport(order: Command): void {
  order
    .command('verify-report')
    .description("check an order report's signature and, with --db, every figure against the evidence store")
    .argument('<FILE>', 'the report file')
    .option('--db <FILE>', 'the evidence store the report was made from')
    .option('--station-key-id <ID>', 'the station key id to expect')
    .action((file: string, opts: { db?: string; stationKeyId?: string }) => {
      const signed = readOrderReportFile(file);
      const check = (store?: EvidenceStore) =>
        checkOrderReport(signed, {
          ...(store ? { store } : {}),
          ...(opts.stationKeyId ? { stationKeyId: opts.stationKeyId } : {}),
        });
      const result = opts.db === undefined ? check() : readEvidenceStore(opts.db, (store) => check(store));
      const r = signed.report;
      process.stdout.write(
        `order ${r.orderId} report by station ${r.stationId}: signature ${result.signatureValid ? 'OK' : 'INVALID'} (station key ${signed.signature.keyId})\n` +
          `  ${r.pass} PASS of ${r.quantity}, ${r.fail} FAIL, ${r.spent} spent, ${r.refused} refused, ${r.remaining} remaining; ${r.serialsUsed.length} serials used\n` +
          (r.across
            ? `  the order across ${r.across.stations.join(', ')} (${r.across.store}, when the report was made): ` +
              `${r.across.pass} PASS of ${r.quantity}, ${r.across.fail} FAIL, ${r.across.spent} spent, ` +
              `${r.across.refused} refused, ${r.across.reserved} in hand, ${r.across.remaining} remaining\n`
            : ''),
      );
      if (opts.db !== undefined) {
        process.stdout.write(
          result.mismatches.length === 0
            ? `  every figure matches ${opts.db}\n`
            : result.mismatches.map((m) => `  MISMATCH ${m}\n`).join(''),
        );
      }
      if (!result.signatureValid || result.mismatches.length > 0) reportExitCode(ExitCode.failed);
    });
}
