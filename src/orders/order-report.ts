/**
 * The order report: what a station's store holds about an order (serials used, PASS, FAIL, spent, refused,
 * remaining) with the evidence chain head, signed by the station's key. `order verify-report` checks the signature
 * and, given the store, that every figure is what the store holds.
 */
import type { EvidenceStore } from '../evidence/index.js';
import { signDocument, signatureValid } from './document-signing.js';
import { DocumentReader, readJsonFile, readSignature } from './order-document.js';
import { ledgerFigures, orderHashOf } from './order-ledger.js';
import type { OrderAcrossStations, OrderReport, SignedOrder, SignedOrderReport } from './order-types.js';

export const REPORT_FORMAT = 'credline-order-report';
export const REPORT_LABEL = 'credline/order-report/v1';

/**
 * The report of `order` from `store`, signed with the station's Ed25519 seed; `across` adds the order's figures
 * across every station, when its slots are shared (the central store's reserve mode).
 */
export function createOrderReport(
  store: EvidenceStore,
  order: SignedOrder,
  station: { stationId: string; seed: Uint8Array },
  options: { now?: Date; across?: OrderAcrossStations } = {},
): SignedOrderReport {
  const now = options.now ?? new Date();
  const figures = ledgerFigures(store, order.order.orderId, order.order.quantity);
  const head = store.head();
  const report: OrderReport = {
    orderId: order.order.orderId,
    orderHash: orderHashOf(order),
    quantity: figures.quantity,
    serialsUsed: figures.serialsUsed,
    pass: figures.pass,
    fail: figures.fail,
    spent: figures.spent,
    refused: figures.refused,
    remaining: figures.remaining,
    chainHead: { seq: head.seq, hash: head.hash },
    stationId: station.stationId,
    generatedAt: now.toISOString(),
    ...(options.across ? { across: options.across } : {}),
  };
  return {
    format: REPORT_FORMAT,
    version: 1,
    report,
    signature: signDocument(REPORT_LABEL, report, station.seed),
  };
}

/** Reads a report file (structure only). */
export function readOrderReportFile(file: string): SignedOrderReport {
  return parseOrderReport(readJsonFile(file, 'order report'), file);
}

/** Validates a report's structure (not its signature); `where` names it in errors (a file, or a stored row). */
export function parseOrderReport(value: unknown, where: string): SignedOrderReport {
  const f = new DocumentReader(where, '$', value).object(['format', 'version', 'report', 'signature']);
  f('format').text(new RegExp(`^${REPORT_FORMAT}$`), `"${REPORT_FORMAT}"`);
  f('version').int(1, 1);
  const r = f('report');
  if (r.value === null || typeof r.value !== 'object') r.fail('an object');
  return {
    format: REPORT_FORMAT,
    version: 1,
    report: r.value as OrderReport,
    signature: readSignature(f('signature')),
  };
}

export interface ReportCheck {
  signatureValid: boolean;
  /** Figures that differ from the store's, when a store was given. */
  mismatches: string[];
}

/**
 * Checks a report's signature (and signer, when `stationKeyId` is given) and, with a store, that its figures and
 * chain head are the store's (a head at or before the store's own).
 */
export function checkOrderReport(
  signed: SignedOrderReport,
  options: { store?: EvidenceStore; stationKeyId?: string } = {},
): ReportCheck {
  const valid =
    signatureValid(REPORT_LABEL, signed.report, signed.signature) &&
    (options.stationKeyId === undefined || options.stationKeyId === signed.signature.keyId);
  const mismatches: string[] = [];
  const { store } = options;
  if (store) {
    const r = signed.report;
    const f = ledgerFigures(store, r.orderId, r.quantity);
    for (const name of ['pass', 'fail', 'spent', 'refused', 'remaining'] as const) {
      if (f[name] !== r[name]) mismatches.push(`${name}: report ${r[name]}, store ${f[name]}`);
    }
    if (f.serialsUsed.join('\n') !== r.serialsUsed.join('\n')) mismatches.push('serialsUsed differ');
    const stored = store.readRow('SELECT order_hash FROM work_orders WHERE order_id = ?', r.orderId);
    if (stored?.['order_hash'] !== r.orderHash) mismatches.push('the order is not the one the store ran');
    const head = store.head();
    const { seq, hash } = r.chainHead;
    if (seq > head.seq || (seq === head.seq && hash !== head.hash)) {
      mismatches.push(`chain head ${seq} is not in the store (its head is ${head.seq})`);
    }
  }
  return { signatureValid: valid, mismatches };
}
