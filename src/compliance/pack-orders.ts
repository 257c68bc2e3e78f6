/**
 * Work-order reports in an evidence pack. Each report given (the station's signed report of what it made under a
 * work order, written at the end of a `provision --order` run or by `credline order report`) is checked against the
 * store first: its signature, every figure against the order's ledger, the order itself, and that its chain head is
 * on the store's chain. A report that does not match is refused (exit 1); one that does is carried as
 * orders/ORDER_ID.report.json, byte for byte as the station signed it, with the check's result beside it.
 */
import { readFileSync } from 'node:fs';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';
import type { EvidenceStore } from '../evidence/index.js';
import { checkOrderReport, readOrderReportFile } from '../orders/index.js';

/** What the pack's README says of each order report. */
export interface PackedOrderReport {
  orderId: string;
  file: string;
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

/** Checks each report file against `store` and returns the pack files and the facts for the README. */
export function packOrderReports(
  reportFiles: readonly string[],
  store: EvidenceStore,
  dbFile: string,
): { files: Array<{ name: string; data: Uint8Array }>; reports: PackedOrderReport[] } {
  const files: Array<{ name: string; data: Uint8Array }> = [];
  const reports: PackedOrderReport[] = [];
  for (const file of reportFiles) {
    const signed = readOrderReportFile(file);
    const r = signed.report;
    const check = checkOrderReport(signed, { store });
    if (!check.signatureValid || check.mismatches.length > 0) {
      const why = check.signatureValid ? check.mismatches.join('; ') : 'its signature does not verify';
      throw new CredlineError(
        'PACK_ORDER_REPORT',
        `${file}: the order report of ${r.orderId} does not match ${dbFile} (${why}); no pack written`,
        { exitCode: ExitCode.failed },
      );
    }
    const name = `orders/${r.orderId.replace(/[^A-Za-z0-9._-]/g, '_')}.report.json`;
    if (files.some((f) => f.name === name)) {
      throw usageError('PACK_ORDER_REPORT', `${file}: a report of work order ${r.orderId} is given twice`);
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw usageError('PACK_ORDER_REPORT', `cannot read ${file}: ${fsErrorText(error)}`, error);
    }
    files.push({ name, data: bytes });
    reports.push({
      orderId: r.orderId,
      file: name,
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

/** The README section on the work-order reports (none when the pack carries none). */
export function orderReportsReadme(reports: readonly PackedOrderReport[]): string[] {
  if (reports.length === 0) return [];
  return [
    '## Work orders',
    '',
    'The stations ran under signed work orders (docs/orders.md). Each report below was signed by the station at the ' +
      "end of its run; credline checked, before writing this pack, its signature and that every figure is what the store's " +
      'order ledger holds (orders/check.json). To check a report again: `credline order verify-report FILE --db STORE ' +
      '--station-key-id KEY_ID`; the signature is Ed25519 (RFC 8032) over the ASCII bytes `credline/order-report/v1`, a ' +
      'zero byte, and the canonical JSON (keys sorted, no white space) of its `report` object, under the `publicKey` of its ' +
      '`signature` (key id: the first 16 hex digits of its SHA-256).',
    '',
    ...reports.map(
      (r) =>
        `- ${r.file}: work order ${r.orderId}, station ${r.stationId} (station key ${r.stationKeyId}): ${r.pass} PASS ` +
        `of ${r.quantity}, ${r.fail} FAIL, ${r.spent} spent, ${r.refused} refused, ${r.remaining} remaining; ` +
        `${r.serialsUsed} serials used; chain head seq ${r.chainHeadSeq}.`,
    ),
    '',
  ];
}
