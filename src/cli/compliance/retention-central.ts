/** `evidence retention --central`: what the central store holds and until when, by the rule a station file uses. */
import type { CentralReader } from '../../central/index.js';
import {
  batchSupport,
  retentionEntries,
  type ProductRecord,
  type RetentionEntry,
} from '../../compliance/index.js';
import { DOCUMENT_KINDS, type CentralStatementBody } from './soc-central.js';

export async function centralRetention(reader: CentralReader): Promise<RetentionEntry[]> {
  const central = await import('../../central/index.js');
  const statements = await central.centralDocuments<CentralStatementBody>(reader, DOCUMENT_KINDS.statement);
  const links = await central.centralDocuments<{ batchId: string; productId: string }>(
    reader,
    DOCUMENT_KINDS.batchProduct,
  );
  const records = await central.centralDocuments<ProductRecord>(reader, DOCUMENT_KINDS.productRecord);
  const batches = [];
  for (const batch of await central.centralBatches(reader)) {
    const facts = await central.centralBatchFacts(reader, batch.batchId);
    batches.push({
      batch,
      support: batchSupport({ getBatchTerms: () => facts.terms }, batch),
      productId: links.find((l) => l.key === batch.batchId)?.body.productId ?? null,
    });
  }
  const revisions = new Map<
    string,
    { productId: string; revision: number; recordedAt: string; supportEndDate: string | null }
  >();
  for (const d of records) {
    const key = `${d.body.id}@${d.body.revision}`;
    if (!revisions.has(key))
      revisions.set(key, {
        productId: d.body.id,
        revision: d.body.revision,
        recordedAt: d.recordedAt,
        supportEndDate: d.body.supportPeriod?.endDate ?? null,
      });
  }
  return retentionEntries({
    statements: statements.map((s) => ({
      id: s.documentId,
      batchId: s.body.batchId,
      productId: s.body.productId,
      dateOfIssue: s.body.dateOfIssue,
      retainUntil: s.body.retainUntil,
    })),
    batches,
    productRevisions: [...revisions.values()],
    supportEndDates: (productId) =>
      records
        .filter((d) => d.body.id === productId)
        .map((d) => d.body.supportPeriod?.endDate)
        .filter((e): e is string => e !== undefined),
  });
}
