/**
 * A provisioning run from set-up to wind-down, around the line loop (run-station.ts): check what can be checked
 * before anything is opened, unseal the keys, open the evidence store, register the station, key and batch, open
 * the label and trace outputs, run the ports until done, stopped (Ctrl-C once, or `plan.stop`) or aborted (Ctrl-C
 * twice), sign the chain head with the station key, and close everything, zeroing the keys. The caller (the CLI)
 * parses options, supplies the keys and prints the events.
 *
 * @example
 * const outcome = await runProvisioning(plan, (event, tally) => print(event, tally));
 * if (!outcome.complete) exitCode = 1;
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { entropyBits, canonicaliseSerial } from '../derive/index.js';
import { usageError } from '../errors/credline-error.js';
import { openEvidenceStore, type EvidenceStore } from '../evidence/index.js';
import type { KeyFileHeader, OpenedKey } from '../keys/index.js';
import { createPasswordPolicy } from '../policy/index.js';
import { policyOptionsOf, type LoadedProfile } from '../profiles/index.js';
import type { LabelFormat, ZplLayout } from '../labels/index.js';
import { assertLabelPath, openLabelWriter, type LabelWriter } from './label-writer.js';
import {
  assertKind,
  checkLineKeySource,
  openLineKeySource,
  type KeySource,
  type LineKeySource,
  type RunLineKey,
} from './line-key-source.js';
import { openPorts } from './open-ports.js';
import { finishRun } from './finish-run.js';
import { openBatch } from './open-batch.js';
import { checkOrderPlan, openOrderGate, type OrderPlan } from './run-order.js';
import { reportOrder, signChainHead } from './run-wind-down.js';
import { startStation } from './run-station.js';
import type { StationEvent, StationSummary, StationTally, UnitReserver } from './station-types.js';

export interface ProvisioningPlan {
  profile: LoadedProfile;
  /** A sealed key file or a key in a PKCS#11 token. */
  lineKey: LineKeySource;
  /** Signs the chain head at the end of the run. */
  stationKey?: KeySource;
  /** The evidence store (created 0600 when missing). */
  dbFile: string;
  batchId: string;
  /** End of the defined support period, YYYY-MM-DD: needed for a new batch. */
  supportEnd?: string;
  stationId: string;
  operator?: string;
  ports: string[];
  /** Total devices across all ports; without it the run goes on until stopped. */
  count?: number;
  /**
   * The units that may be re-provisioned although they already passed, and why (recorded with each). `source` names
   * where each serial was given (`--reprovision`, `serials.txt line 3`) for error messages.
   */
  reprovision?: { reason: string; units: ReadonlyArray<{ serial: string; source: string }> };
  /** Provision with the published test-vector key or a demo key (tests, demos): every record then says so. */
  allowTestKey?: boolean;
  /** Wait for a port that does not exist or is held by another process, instead of refusing at once. */
  waitForPort?: boolean;
  /** Label output: a file (0600) or named pipe, or for ZPL a printer's device file or tcp://HOST:PORT. */
  labels?: { target: string; format: LabelFormat; layout: ZplLayout };
  /** Serial trace (passwords and verifiers redacted). */
  traceFile?: string;
  /**
   * A work order bounding the run (needs `stationKey`: the order report is signed with it at the end). Units outside
   * it, or beyond its quantity, are refused before anything is written; blank units get its next unused serial.
   */
  order?: OrderPlan;
  /** Reserves each unit before it is touched (the central store's reserve mode). */
  reserve?: UnitReserver;
  /** Aborts to stop after the devices in hand (as Ctrl-C once does). */
  stop?: AbortSignal;
}

/** What the run tells its caller besides the station's own events. */
export type RunEvent =
  | StationEvent
  | {
      type: 'start';
      profileId: string;
      profileRevision: number;
      profileHash: string;
      entropyBits: number;
      keyId: string;
      /** Why the line key is a test key, when it is one (allowed by --allow-test-key). */
      testKey?: string;
      batchId: string;
      stationId: string;
      ports: string[];
      dbFile: string;
    }
  /** A message for the operator (stderr). */
  | { type: 'notice'; text: string }
  | ({ type: 'end' } & StationSummary);

export interface ProvisioningOutcome {
  summary: StationSummary;
  /** True when every device was PASS and, with a count, that many were done. */
  complete: boolean;
}

const NO_TALLY: StationTally = { pass: 0, fail: 0, aborted: 0, elapsedMs: 0, devicesPerMin: 0 };

/**
 * Runs the plan. Refuses before opening anything (exit 2): a port named twice, a key of the wrong kind. A wrong
 * passphrase (or Ctrl-C at its prompt) leaves no file behind. When the line has to stop (label output, evidence
 * store) the run still reports and signs what was done, then throws that error.
 */
export async function runProvisioning(
  plan: ProvisioningPlan,
  onEvent: (event: RunEvent, tally: Readonly<StationTally>) => void,
): Promise<ProvisioningOutcome> {
  const reprovisionSerials = checkPlan(plan);
  const orderPool =
    plan.order &&
    checkOrderPlan(plan.order, {
      profile: plan.profile,
      stationId: plan.stationId,
      now: new Date(),
      lineKeyId: 'file' in plan.lineKey ? plan.lineKey.file.header.keyId : undefined,
      hasStationKey: plan.stationKey !== undefined,
    });
  const { profile } = plan.profile;
  const ports = await openPorts(plan.ports, profile.serialPort, plan.waitForPort ?? false);
  const opened: OpenedKey[] = [];
  let line: RunLineKey | undefined;
  let store: EvidenceStore | undefined;
  let labels: LabelWriter | undefined;
  let trace: WriteStream | undefined;
  try {
    line = await openLineKeySource(plan.lineKey, plan.allowTestKey);
    const { testKey } = line;
    const station = plan.stationKey && (await openKind(plan.stationKey, 'station', '--station-key', opened));
    const notice = (text: string): void => onEvent({ type: 'notice', text }, NO_TALLY);
    store = openEvidenceStore(plan.dbFile, { create: true });
    if (plan.labels) {
      labels = openLabelWriter(plan.labels.target, {
        format: plan.labels.format,
        layout: plan.labels.layout,
        testKey: testKey !== undefined,
        onWaitForReader: (path) => notice(`waiting for the label printer to open ${path} (Ctrl-C to stop)`),
      });
    }
    if (plan.traceFile) trace = createWriteStream(plan.traceFile, { flags: 'a', mode: 0o600 });
    const { keyId } = line.handle;
    openBatch(store, plan, { keyId, label: line.label, testKey: testKey !== undefined }, notice);
    const order =
      plan.order && orderPool
        ? await openOrderGate(
            store,
            plan.order,
            orderPool,
            { profile: plan.profile, stationId: plan.stationId, now: new Date(), lineKeyId: keyId },
            notice,
          )
        : undefined;
    onEvent(
      {
        type: 'start',
        profileId: profile.id,
        profileRevision: profile.revision,
        profileHash: plan.profile.hash,
        entropyBits: entropyBits(profile.passwordPolicy.alphabet.length, profile.passwordPolicy.length),
        keyId,
        ...(testKey === undefined ? {} : { testKey }),
        batchId: plan.batchId,
        stationId: plan.stationId,
        ports: plan.ports,
        dbFile: plan.dbFile,
      },
      NO_TALLY,
    );
    if (testKey !== undefined) {
      notice(
        `TEST KEY: ${testKey}. Allowed by --allow-test-key: the batch record, every device line and every label ` +
          'of this run say so; never ship these units',
      );
    }
    const traceFile = trace;
    const run = startStation({
      profile: plan.profile,
      lineKey: line.handle.key,
      keyId,
      store,
      batchId: plan.batchId,
      stationId: plan.stationId,
      ...(plan.operator === undefined ? {} : { operator: plan.operator }),
      ports: plan.ports,
      ...(plan.count === undefined ? {} : { count: plan.count }),
      ...(plan.reprovision
        ? { reprovision: { reason: plan.reprovision.reason, serials: reprovisionSerials } }
        : {}),
      ...(labels ? { labels } : {}),
      ...(order ? { order: order.gate } : {}),
      ...(plan.reserve ? { reserve: plan.reserve } : {}),
      policy: createPasswordPolicy(policyOptionsOf(profile)),
      ...(traceFile
        ? {
            trace: (e) => traceFile.write(`${new Date().toISOString()} ${e.port} ${e.direction} ${e.text}\n`),
          }
        : {}),
      openTransport: ports.open,
      onEvent:
        testKey === undefined
          ? onEvent
          : (event, tally) => onEvent(event.type === 'device' ? { ...event, testKey: true } : event, tally),
    });
    const { summary, stopped } = await finishRun(run, plan.stop, (text) =>
      onEvent({ type: 'notice', text }, run.summary()),
    );
    onEvent({ type: 'end', ...summary }, summary);
    // The order report is sealed into the chain first, so that the signed head covers it.
    if (plan.order && station) {
      await reportOrder(
        store,
        plan.order,
        { stationId: plan.stationId, seed: station.secret },
        order?.shared,
        stopped !== undefined,
        (text) => onEvent({ type: 'notice', text }, summary),
      );
    }
    signChainHead(store, station, plan.stationId, stopped !== undefined, (text) =>
      onEvent({ type: 'notice', text }, summary),
    );
    if (stopped !== undefined) throw stopped;
    const done = summary.pass + summary.fail + summary.aborted;
    const short = plan.count !== undefined && done < plan.count;
    return { summary, complete: summary.fail === 0 && summary.aborted === 0 && !short };
  } finally {
    for (const key of opened) key.secret.fill(0);
    line?.handle.close();
    labels?.close();
    trace?.end();
    store?.close();
    await ports.close();
  }
}

/**
 * What can be refused before anything is opened: a port named twice, a key of the wrong kind, a test key without
 * --allow-test-key, labels to stdout, a --reprovision serial the profile cannot have. Returns the --reprovision serials in canonical
 * form.
 */
function checkPlan(plan: ProvisioningPlan): ReadonlySet<string> {
  if (new Set(plan.ports).size !== plan.ports.length)
    throw usageError('PORT_TWICE', 'the same --port is given twice');
  checkLineKeySource(plan.lineKey, plan.allowTestKey);
  if (plan.stationKey) assertKind(plan.stationKey.header, plan.stationKey.path, 'station', '--station-key');
  if (plan.labels !== undefined) assertLabelPath(plan.labels.target);
  const { serialCase } = plan.profile.profile.canonicalisation;
  return new Set(
    (plan.reprovision?.units ?? []).map(({ serial, source }) => {
      try {
        return canonicaliseSerial(serial, serialCase);
      } catch (error) {
        throw usageError('REPROVISION_SERIAL', `${source}: ${(error as Error).message}`);
      }
    }),
  );
}

/** Opens a key source and checks its authenticated header; the key joins `opened` (zeroed at the end). */
async function openKind(
  source: KeySource,
  kind: KeyFileHeader['kind'],
  option: string,
  opened: OpenedKey[],
): Promise<OpenedKey> {
  const key = await source.open();
  opened.push(key);
  assertKind(key.header, source.path, kind, option);
  return key;
}
