/**
 * Order reports kept in the evidence store: each station-signed report is stored as written (the exact text of its
 * file) in `order_reports` and sealed into the hash chain in the same transaction, so `evidence verify` finds an
 * edited or removed one and an evidence pack carries it by itself. A pack of a batch takes, for every work order
 * whose units are in the batch, the latest report of each station (a later report covers everything an earlier one
 * of the same order and station did).
 */
import { createHash } from 'node:crypto';
import type { EvidenceStore } from '../evidence/index.js';
import { formatDocument } from './order-create.js';
import type { SignedOrderReport } from './order-types.js';
import { ORDER_REPORTS } from './tables/index.js';

/** A report as stored: its row id and the exact text that was signed and written. */
export interface StoredOrderReport {
  id: number;
  orderId: string;
  stationId: string;
  text: string;
  /** The chain seq of the report's seal. */
  sealSeq: number | null;
}

/**
 * Stores a signed report (as `formatDocument` writes it) and seals it into the chain, in one transaction. Returns
 * the text stored: write exactly this to the report file.
 *
 * @example const text = storeOrderReport(store, report); writeFileAtomic(file, text);
 */
export function storeOrderReport(
  store: EvidenceStore,
  signed: SignedOrderReport,
  now: Date = new Date(),
): string {
  const text = formatDocument(signed);
  const r = signed.report;
  const recordedAt = now.toISOString();
  store.appendSealedRow(
    ORDER_REPORTS,
    {
      order_id: r.orderId,
      station_id: r.stationId,
      report_json: text,
      report_sha256: createHash('sha256').update(text).digest('hex'),
      chain_head_seq: r.chainHead.seq,
      generated_at: r.generatedAt,
      recorded_at: recordedAt,
    },
    recordedAt,
  );
  return text;
}

/**
 * The latest stored report of each work order and station whose order has units in `batchId` (by the serials of its
 * ledger), in order id then station order. None from a store older than the table.
 */
export function storedOrderReports(store: EvidenceStore, batchId: string): StoredOrderReport[] {
  const present = store.readRow(
    `SELECT 1 AS present FROM sqlite_schema WHERE type = 'table' AND name = ?`,
    ORDER_REPORTS.table,
  );
  if (present === undefined) return [];
  const rows = store.readRows(
    `SELECT r.id, r.order_id, r.station_id, r.report_json,
       (SELECT s.seq FROM compliance_seals s WHERE s.sealed_table = 'order_reports' AND s.sealed_key = CAST(r.id AS TEXT))
         AS seal_seq
     FROM order_reports r
     WHERE r.id IN (SELECT max(id) FROM order_reports GROUP BY order_id, station_id)
       AND EXISTS (SELECT 1 FROM order_slots o JOIN provisioning_events e ON e.serial = o.serial
         WHERE o.order_id = r.order_id AND e.batch_id = ?)
     ORDER BY r.order_id, r.station_id`,
    batchId,
  );
  return rows.map((row) => ({
    id: Number(row['id']),
    orderId: String(row['order_id']),
    stationId: String(row['station_id']),
    text: String(row['report_json']),
    sealSeq: row['seal_seq'] === null ? null : Number(row['seal_seq']),
  }));
}
