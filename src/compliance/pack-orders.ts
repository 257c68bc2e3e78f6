/**
 * Work-order reports in an evidence pack. The store keeps every station-signed report sealed into its chain (written
 * at the end of each `provision --order` run and by `credline order report`); the pack carries, by itself, the latest
 * stored report of each station for every work order whose units are in the batch, as
 * orders/ORDER_ID-STATION.report.json, byte for byte as signed. Reports given as files (`--order-report`: one from a
 * store older than stored reports, or made elsewhere) are carried as orders/ORDER_ID.report.json unless the store
 * already holds the same bytes. Every report is checked against the store first: its signature, every figure
 * against the order's ledger, the order itself, and that its chain head is on the store's chain; one that does not
 * match stops the pack (exit 1).
 */
import { readFileSync } from 'node:fs';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';
import type { EvidenceStore } from '../evidence/index.js';
import {
  checkOrderReport,
  parseOrderReport,
  readOrderReportFile,
  storedOrderReports,
  type SignedOrderReport,
} from '../orders/index.js';

/** What the pack's README says of each order report. */
export interface PackedOrderReport {
  orderId: string;
  file: string;
  /** Where the pack took it from: the evidence store (and its seal's seq), or a file given. */
  source: string;
  stationId: string;
  stationKeyId: string;
  quantity: number;
  pass: number;
  fail: number;
  spent: number;
  refused: number;
  remaining: number;
  serialsUsed: number;
  chainHeadSeq: number;
}

/**
 * Checks the batch's stored reports and each report file against `store`; returns the pack files and the facts for
 * the README.
 */
export function packOrderReports(
  reportFiles: readonly string[],
  store: EvidenceStore,
  request: { dbFile: string; batchId: string },
): { files: Array<{ name: string; data: Uint8Array }>; reports: PackedOrderReport[] } {
  const files: Array<{ name: string; data: Uint8Array }> = [];
  const reports: PackedOrderReport[] = [];
  const { dbFile } = request;
  const carry = (signed: SignedOrderReport, name: string, data: Uint8Array, source: string): void => {
    files.push({ name, data });
    const r = signed.report;
    reports.push({
      orderId: r.orderId,
      file: name,
      source,
      stationId: r.stationId,
      stationKeyId: signed.signature.keyId,
      quantity: r.quantity,
      pass: r.pass,
      fail: r.fail,
      spent: r.spent,
      refused: r.refused,
      remaining: r.remaining,
      serialsUsed: r.serialsUsed.length,
      chainHeadSeq: r.chainHead.seq,
    });
  };
  const stored = storedOrderReports(store, request.batchId);
  for (const row of stored) {
    const where = `${dbFile} (order report ${row.id})`;
    const signed = parseOrderReport(JSON.parse(row.text) as unknown, where);
    const why = mismatch(signed, store);
    if (why !== undefined) {
      throw new CredlineError(
        'PACK_ORDER_REPORT',
        `${where}: the latest stored report of work order ${row.orderId} by station ${row.stationId} does not ` +
          `match the store (${why}): the store moved on after it was made; credline order report --db ${dbFile} ` +
          '--order FILE --station-key FILE --out FILE makes a current one (stored too); no pack written',
        { exitCode: ExitCode.failed },
      );
    }
    const name = `orders/${safe(row.orderId)}-${safe(row.stationId)}.report.json`;
    const source = `stored in the evidence store${row.sealSeq === null ? '' : `, sealed at chain seq ${row.sealSeq}`}`;
    carry(signed, name, new TextEncoder().encode(row.text), source);
  }
  for (const file of reportFiles) {
    const signed = readOrderReportFile(file);
    const r = signed.report;
    const why = mismatch(signed, store);
    if (why !== undefined) {
      throw new CredlineError(
        'PACK_ORDER_REPORT',
        `${file}: the order report of ${r.orderId} does not match ${dbFile} (${why}); no pack written`,
        { exitCode: ExitCode.failed },
      );
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw usageError('PACK_ORDER_REPORT', `cannot read ${file}: ${fsErrorText(error)}`, error);
    }
    if (stored.some((row) => Buffer.from(row.text).equals(bytes))) continue; // carried already, as stored
    const name = `orders/${safe(r.orderId)}.report.json`;
    if (files.some((f) => f.name === name)) {
      throw usageError('PACK_ORDER_REPORT', `${file}: a report of work order ${r.orderId} is given twice`);
    }
    carry(signed, name, bytes, `given as ${file}`);
  }
  if (reports.length > 0) {
    const summary = {
      checked: reports.map((r) => ({ ...r, signatureValid: true, figuresMatchStore: true })),
      means:
        "each report's Ed25519 signature verifies under the station key it names, and its PASS, FAIL, spent, " +
        "refused and remaining figures, serials used and order hash are what the store's order ledger holds; its " +
        'chain head is on the chain this pack evidences',
    };
    files.push({
      name: 'orders/check.json',
      data: new TextEncoder().encode(`${JSON.stringify(summary, null, 2)}\n`),
    });
  }
  return { files, reports };
}

/** Why a report does not match the store, or undefined when it does. */
function mismatch(signed: SignedOrderReport, store: EvidenceStore): string | undefined {
  const check = checkOrderReport(signed, { store });
  if (!check.signatureValid) return 'its signature does not verify';
  return check.mismatches.length > 0 ? check.mismatches.join('; ') : undefined;
}

/** An id as a file-name part. */
function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The README section on the work-order reports (none when the pack carries none). */
export function orderReportsReadme(reports: readonly PackedOrderReport[]): string[] {
  if (reports.length === 0) return [];
  return [
    '## Work orders',
    '',
    'The stations ran under signed work orders (docs/orders.md). Each report below was signed by the station at the ' +
      'end of its run and stored in its evidence store, sealed into the chain; credline checked, before writing this ' +
      "pack, its signature and that every figure is what the store's " +
      'order ledger holds (orders/check.json). To check a report again: `credline order verify-report FILE --db STORE ' +
      '--station-key-id KEY_ID`; the signature is Ed25519 (RFC 8032) over the ASCII bytes `credline/order-report/v1`, a ' +
      'zero byte, and the canonical JSON (keys sorted, no white space) of its `report` object, under the `publicKey` of its ' +
      '`signature` (key id: the first 16 hex digits of its SHA-256).',
    '',
    ...reports.map(
      (r) =>
        `- ${r.file}: work order ${r.orderId}, station ${r.stationId} (station key ${r.stationKeyId}): ${r.pass} PASS ` +
        `of ${r.quantity}, ${r.fail} FAIL, ${r.spent} spent, ${r.refused} refused, ${r.remaining} remaining; ` +
        `${r.serialsUsed} serials used; chain head seq ${r.chainHeadSeq}; ${r.source}.`,
    ),
    '',
  ];
}
