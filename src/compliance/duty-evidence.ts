/** Gathers, from the evidence database, the rows `credline duties` judges each duty by (duties.ts). */
import { batchSupport, describeBatchSupport } from './batch-support.js';
import type { BatchAuditDocument, SupplierCheckDocument } from './batch-records.js';
import { canonicalHash } from './canonical-json.js';
import { listDocuments, sealSeq } from './compliance-documents.js';
import type { ComplianceStore } from './compliance-store.js';
import type { DutyEvidence } from './duties.js';
import type { LabelRouteRecord } from './label-route.js';
import type { ProductRecord } from './product-record.js';

/** Every evidence row the duties of `productId` rely on, with the seq of each row's seal. */
export function gatherDutyEvidence(store: ComplianceStore, productId: string): DutyEvidence {
  const evidence = store.evidence;
  const revisions = evidence
    .readRows('SELECT id, revision FROM product_records WHERE product_id = ? ORDER BY revision', productId)
    .map((row) => ({
      revision: Number(row['revision']),
      record: store.getProductRecord(productId, Number(row['revision'])) as ProductRecord,
      seq: sealSeq(evidence, 'product_records', Number(row['id'])),
      what: `product revision ${String(row['revision'])}`,
    }));
  const statements = evidence
    .readRows(
      'SELECT id, batch_id, statement_json, content_hash, retain_until FROM issued_statements WHERE product_id = ? ORDER BY id',
      productId,
    )
    .map((row) => ({
      id: Number(row['id']),
      batchId: String(row['batch_id']),
      intact: canonicalHash(JSON.parse(String(row['statement_json']))) === row['content_hash'],
      retainUntil: String(row['retain_until']),
      seq: sealSeq(evidence, 'issued_statements', Number(row['id'])),
      what: `statement ${String(row['id'])} (batch ${String(row['batch_id'])})`,
    }));
  const labelRoutes = listDocuments<LabelRouteRecord>(evidence, 'label-route', { productId }).map((d) => ({
    id: d.id,
    batchId: d.batchId ?? '',
    seq: d.seq,
    what: `label route ${d.id} (batch ${d.batchId ?? '?'})`,
  }));
  const audits = listDocuments<BatchAuditDocument>(evidence, 'batch-audit', { productId }).map((d) => ({
    id: d.id,
    batchId: d.batchId ?? '',
    passed: d.document.passed,
    seq: d.seq,
    what: `batch audit ${d.id} (batch ${d.batchId ?? '?'}: ${d.document.passed ? 'PASS' : 'FAIL'})`,
  }));
  const supplierChecks = listDocuments<SupplierCheckDocument>(evidence, 'supplier-check', { productId }).map(
    (d) => ({
      id: d.id,
      batchId: d.batchId ?? '',
      complete: d.document.complete,
      documentSha256: d.document.file.sha256,
      seq: d.seq,
      what: `supplier statement check ${d.id} (batch ${d.batchId ?? '?'}: ${d.document.gaps.length} gap(s), ${d.document.file.name} SHA-256 ${d.document.file.sha256.slice(0, 16)}…)`,
    }),
  );
  const linked = evidence
    .readRows('SELECT batch_id FROM batch_products WHERE product_id = ?', productId)
    .map((r) => String(r['batch_id']));
  const batchIds = [
    ...new Set([
      ...linked,
      ...statements.map((s) => s.batchId),
      ...labelRoutes.map((r) => r.batchId),
      ...audits.map((a) => a.batchId),
      ...supplierChecks.map((c) => c.batchId),
    ]),
  ].filter((b) => b !== '');
  const batches = batchIds.map((batchId): DutyEvidence['batches'][number] => {
    const first = firstPassAt(store, batchId);
    const batch = evidence.getBatch(batchId);
    const support = batch && batchSupport(evidence, batch);
    return {
      batchId,
      ...(first ? { firstPassAt: first } : {}),
      ...(support?.extended
        ? {
            supportExtension: {
              seq: support.extended.termsSeq,
              what: `batch ${batchId}'s support period extended to ${describeBatchSupport(support)}`,
              endDate: support.supportEndDate,
            },
          }
        : {}),
    };
  });
  return { revisions, batches, statements, labelRoutes, audits, supplierChecks };
}

/** When the batch's first PASS was recorded (ISO time), if it was provisioned in this database. */
export function firstPassAt(store: ComplianceStore, batchId: string): string | undefined {
  const row = store.evidence.readRow(
    `SELECT min(recorded_at) AS at FROM provisioning_events WHERE batch_id = ? AND result = 'PASS'`,
    batchId,
  );
  return row && row['at'] !== null ? String(row['at']) : undefined;
}
