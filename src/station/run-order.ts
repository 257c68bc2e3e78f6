/**
 * A provisioning run under a work order (src/orders): refused before anything starts when the order does not fit
 * the run (signature, signer, line key, profile and hash, station, validity, serial list); its ledger opened in the
 * evidence store, slots a crashed run of this station left reserved settled; each unit admitted and settled through
 * the ledger (OrderGate); and at wind-down the order report, signed by the station key, written to a file.
 *
 * Across stations (the central store's reserve mode) the order's slots are shared there (SharedOrderSlots): each
 * unit is claimed there first, then recorded in the station's own ledger, and settled in both.
 */
import { usageError } from '../errors/credline-error.js';
import type { EvidenceStore } from '../evidence/index.js';
import { writeFileAtomic } from '../keys/index.js';
import {
  assertOrderFitsRun,
  createOrderReport,
  OrderLedger,
  orderHashOf,
  serialPoolOf,
  storeOrderReport,
  type SerialPool,
  type SignedOrder,
} from '../orders/index.js';
import type { LoadedProfile } from '../profiles/index.js';
import type { OrderGate, SharedOrderSlots } from './station-types.js';

export interface OrderPlan {
  /** The signed work order, as read from `file`. */
  signed: SignedOrder;
  file: string;
  /** The order keys (key ids) the station trusts to sign orders. */
  trustedSigners: readonly string[];
  /** The order's serial list file, when it allows the serials of a list. */
  serialsFile?: string;
  /** Where the signed order report is written at the end of the run. */
  reportFile: string;
  /**
   * Opens the order's slots where every station shares them (the central store's reserve mode), once the order has
   * been checked: registers the order there with its serial pool (a list order's serials in list order).
   */
  shared?: (order: {
    signed: SignedOrder;
    orderHash: string;
    listSerials?: readonly string[];
  }) => Promise<SharedOrderSlots>;
}

/** A run's order: the gate the station admits units through, and the shared slots when there are any. */
export interface OpenedOrder {
  gate: OrderGate;
  shared?: SharedOrderSlots;
}

interface RunFacts {
  profile: LoadedProfile;
  stationId: string;
  now: Date;
}

/**
 * What can be refused before anything is opened: no station key to sign the report, an order that does not fit
 * (the line key as the key file's header names it; checked again once opened), a serial list that is not the
 * order's. Returns the order's serial pool.
 */
export function checkOrderPlan(
  order: OrderPlan,
  run: RunFacts & { lineKeyId: string | undefined; hasStationKey: boolean },
): SerialPool {
  if (!run.hasStationKey) {
    throw usageError(
      'ORDER_STATION_KEY',
      '--order needs --station-key: the station signs the order report with it at the end of the run',
    );
  }
  assertFits(order, { ...run, lineKeyId: run.lineKeyId ?? order.signed.order.lineKeyId });
  return serialPoolOf(order.signed.order.serials, order.serialsFile);
}

/**
 * Checks the order against the opened line key, opens its ledger and settles what a crash left reserved; with
 * shared slots, registers the order there, settles this station's open claims there too, and refuses a store whose
 * PASS units of this station under the order the shared slots do not know (made without them).
 */
export async function openOrderGate(
  store: EvidenceStore,
  order: OrderPlan,
  pool: SerialPool,
  run: RunFacts & { lineKeyId: string },
  notice: (text: string) => void,
): Promise<OpenedOrder> {
  assertFits(order, run);
  const { orderId } = order.signed.order;
  const { stationId, lineKeyId } = run;
  const ledger = OrderLedger.open(store, order.signed, pool);
  const settled = ledger.recover(stationId, lineKeyId);
  if (settled > 0) {
    notice(
      `work order ${orderId}: ${settled} unit(s) this station had reserved when it last stopped ` +
        'were settled (PASS when the evidence holds it, otherwise spent)',
    );
  }
  if (!order.shared) {
    const f = ledger.figures();
    notice(`work order ${orderId}: ${f.pass} of ${f.quantity} PASS so far, ${f.remaining} remaining`);
    return {
      gate: {
        admit: async (serial, port) => ledger.admit(serial, stationId, port),
        settle: async (serial, outcome, written, port) => {
          ledger.settle(serial, outcome, written, stationId, port);
        },
      },
    };
  }
  const spec = order.signed.order.serials;
  const shared = await order.shared({
    signed: order.signed,
    orderHash: orderHashOf(order.signed),
    ...(spec.kind === 'list' ? { listSerials: [...pool.serials()] } : {}),
  });
  const recovered = await shared.recover((serial) => store.findPass(serial, lineKeyId) !== undefined);
  if (recovered > 0) {
    notice(
      `work order ${orderId}: ${recovered} claim(s) this station held at ${shared.where} when it last stopped ` +
        'were settled (PASS when the evidence holds it, otherwise spent)',
    );
  }
  const f = await shared.figures();
  const here = ledger.passCount(stationId);
  if (here > f.stationPass) {
    throw usageError(
      'ORDER_NOT_SHARED',
      `work order ${orderId}: ${store.file} holds ${here} PASS unit(s) of station ${stationId} that ${shared.where} ` +
        `does not know (made without --central-mode reserve); an order's units are counted in one place: run it ` +
        'through the central store from its first unit, or without it',
    );
  }
  notice(
    `work order ${orderId} at ${shared.where}: ${f.pass} of ${f.quantity} PASS so far across ` +
      `${f.stations.length} station(s), ${f.remaining} remaining`,
  );
  return { gate: sharedGate(ledger, shared, stationId), shared };
}

/** Claims each unit in the shared slots first, then records it in the station's ledger; settles both. */
function sharedGate(ledger: OrderLedger, shared: SharedOrderSlots, stationId: string): OrderGate {
  const held = new Map<string, (outcome: 'pass' | 'released' | 'spent') => Promise<void>>();
  return {
    async admit(serial, port) {
      const claim = await shared.claim(serial, port);
      if (!claim.admitted) {
        ledger.refuse(serial ?? '', claim.reason, stationId, port);
        return claim;
      }
      const local = ledger.admit(claim.serial, stationId, port);
      if (!local.admitted) {
        await claim.settle('released', local.reason);
        return local;
      }
      held.set(claim.serial, (outcome) => claim.settle(outcome));
      return { admitted: true, serial: claim.serial };
    },
    async settle(serial, outcome, written, port) {
      const state = ledger.settle(serial, outcome, written, stationId, port);
      const settleShared = held.get(serial);
      held.delete(serial);
      await settleShared?.(state);
    },
  };
}

/**
 * Signs the order report with the station's seed, stores it in the evidence store (sealed into the chain) and
 * writes it; says where, with its figures. With shared slots the
 * report also carries the order's figures across every station, as the shared store gives them now.
 */
export async function writeOrderReport(
  store: EvidenceStore,
  order: OrderPlan,
  station: { stationId: string; seed: Uint8Array },
  shared: SharedOrderSlots | undefined,
  notice: (text: string) => void,
): Promise<void> {
  const across = shared && { store: shared.where, ...(await shared.figures()) };
  const report = createOrderReport(store, order.signed, station, {
    ...(across
      ? {
          across: {
            store: across.store,
            pass: across.pass,
            fail: across.fail,
            spent: across.spent,
            refused: across.refused,
            reserved: across.reserved,
            remaining: across.remaining,
            stations: across.stations,
          },
        }
      : {}),
  });
  writeFileAtomic(order.reportFile, storeOrderReport(store, report), { overwrite: true });
  const r = report.report;
  notice(
    `order report ${order.reportFile}: work order ${r.orderId}, ${r.pass} PASS of ${r.quantity}, ${r.fail} FAIL, ` +
      `${r.spent} spent, ${r.refused} refused, ${r.remaining} remaining; chain head ${r.chainHead.seq}; ` +
      `signed by station key ${report.signature.keyId}; stored in ${store.file}, sealed into its chain`,
  );
  if (r.across) {
    notice(
      `work order ${r.orderId} across ${r.across.stations.join(', ')} (${r.across.store}): ${r.across.pass} PASS of ` +
        `${r.quantity}, ${r.across.fail} FAIL, ${r.across.spent} spent, ${r.across.refused} refused, ` +
        `${r.across.remaining} remaining`,
    );
  }
}

function assertFits(order: OrderPlan, run: RunFacts & { lineKeyId: string }): void {
  assertOrderFitsRun(order.signed, order.file, {
    trustedSigners: order.trustedSigners,
    lineKeyId: run.lineKeyId,
    profileId: run.profile.profile.id,
    profileHash: run.profile.hash,
    stationId: run.stationId,
    now: run.now,
  });
}
