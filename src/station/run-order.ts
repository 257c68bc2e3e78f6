/**
 * A provisioning run under a work order (src/orders): refused before anything starts when the order does not fit
 * the run (signature, signer, line key, profile and hash, station, validity, serial list); its ledger opened in the
 * evidence store, slots a crashed run of this station left reserved settled; each unit admitted and settled through
 * the ledger (OrderGate); and at wind-down the order report, signed by the station key, written to a file.
 */
import { usageError } from '../errors/credline-error.js';
import type { EvidenceStore } from '../evidence/index.js';
import { writeFileAtomic } from '../keys/index.js';
import {
  assertOrderFitsRun,
  createOrderReport,
  formatDocument,
  OrderLedger,
  serialPoolOf,
  type SerialPool,
  type SignedOrder,
} from '../orders/index.js';
import type { LoadedProfile } from '../profiles/index.js';
import type { OrderGate } from './station-types.js';

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

/** Checks the order against the opened line key, opens its ledger and settles what a crash left reserved. */
export function openOrderGate(
  store: EvidenceStore,
  order: OrderPlan,
  pool: SerialPool,
  run: RunFacts & { lineKeyId: string },
  notice: (text: string) => void,
): OrderGate {
  assertFits(order, run);
  const ledger = OrderLedger.open(store, order.signed, pool);
  const settled = ledger.recover(run.stationId, run.lineKeyId);
  if (settled > 0) {
    notice(
      `work order ${order.signed.order.orderId}: ${settled} unit(s) this station had reserved when it last stopped ` +
        'were settled (PASS when the evidence holds it, otherwise spent)',
    );
  }
  const f = ledger.figures();
  notice(
    `work order ${order.signed.order.orderId}: ${f.pass} of ${f.quantity} PASS so far, ${f.remaining} remaining`,
  );
  const { stationId } = run;
  return {
    admit: (serial, port) => ledger.admit(serial, stationId, port),
    settle: (serial, outcome, written, port) => {
      ledger.settle(serial, outcome, written, stationId, port);
    },
  };
}

/** Signs the order report with the station's seed and writes it; says where, with its figures. */
export function writeOrderReport(
  store: EvidenceStore,
  order: OrderPlan,
  station: { stationId: string; seed: Uint8Array },
  notice: (text: string) => void,
): void {
  const report = createOrderReport(store, order.signed, station);
  writeFileAtomic(order.reportFile, formatDocument(report), { overwrite: true });
  const r = report.report;
  notice(
    `order report ${order.reportFile}: work order ${r.orderId}, ${r.pass} PASS of ${r.quantity}, ${r.fail} FAIL, ` +
      `${r.spent} spent, ${r.refused} refused, ${r.remaining} remaining; chain head ${r.chainHead.seq}; ` +
      `signed by station key ${report.signature.keyId}`,
  );
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
