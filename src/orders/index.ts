/**
 * Work orders: a signed document from the product owner bounding a run (which serials, how many PASS units, which
 * stations, until when), its ledger in the evidence store, and the station's signed report (docs/orders.md).
 * Everything outside src/orders enters here.
 *
 * @example
 * import { readOrderFile, assertOrderFitsRun, OrderLedger } from '../orders/index.js';
 */
export type {
  OrderAcrossStations,
  OrderReport,
  SerialSpec,
  SignedOrder,
  SignedOrderReport,
  WorkOrder,
} from './order-types.js';
export { readOrderFile, ORDER_LABEL } from './order-document.js';
export { createSignedOrder, formatDocument } from './order-create.js';
export { assertOrderFitsRun, assertOrderSigned, type OrderRunFacts } from './order-check.js';
export { readSerialList, serialPoolOf, type SerialPool } from './serial-pool.js';
export {
  OrderLedger,
  ORDER_REFUSALS,
  ledgerFigures,
  orderHashOf,
  type Admission,
  type LedgerFigures,
  type OrderRefusal,
} from './order-ledger.js';
export {
  createOrderReport,
  readOrderReportFile,
  parseOrderReport,
  checkOrderReport,
  type ReportCheck,
} from './order-report.js';
export { signerKeyId } from './document-signing.js';
export { storeOrderReport, storedOrderReports, type StoredOrderReport } from './stored-reports.js';
