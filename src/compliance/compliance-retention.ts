/**
 * What the evidence database holds and until when (regulations 8 and 9), for `credline evidence retention` and
 * the evidence pack. Nothing here deletes anything.
 */
import { batchSupport, type BatchSupport } from './batch-support.js';
import type { ComplianceStore } from './compliance-store.js';
import { computeRetainUntil, tenYearPeriodEnd, type BatchRecord } from '../evidence/index.js';

export interface RetentionEntry {
  kind: 'statement' | 'batch' | 'product-record';
  id: string;
  productId: string | null;
  /** Issue date (statement), batch record date, or date the product revision was recorded. */
  since: string;
  /** Inclusive: keep through this day. Never earlier than any date reported before. */
  retainUntil: string;
  basis: string;
}

/** What retention is judged from: a station's database (listRetention) or the central store. */
export interface RetentionSource {
  statements: readonly {
    id: number;
    batchId: string;
    productId: string;
    dateOfIssue: string;
    retainUntil: string;
  }[];
  batches: readonly { batch: BatchRecord; support: BatchSupport; productId: string | null }[];
  productRevisions: readonly {
    productId: string;
    revision: number;
    recordedAt: string;
    supportEndDate: string | null;
  }[];
  supportEndDates(productId: string): string[];
}

/** listRetention over a station's database. */
export function listRetention(store: ComplianceStore): RetentionEntry[] {
  return retentionEntries({
    statements: store.listStatements(),
    batches: store.evidence.listBatches().map((batch) => ({
      batch,
      support: batchSupport(store.evidence, batch),
      productId: store.productOfBatch(batch.batchId) ?? null,
    })),
    productRevisions: store.listProductRevisions(),
    supportEndDates: (productId) => store.supportEndDates(productId),
  });
}

/**
 * What is held and until when (regulations 8 and 9). A statement is kept until the later of 10 years from issue
 * and the end of every support period recorded for its product (so an extension extends it); a batch's evidence
 * until the later of its own retention date and that of every statement issued for it. Nothing here deletes.
 */
export function retentionEntries(source: RetentionSource): RetentionEntry[] {
  const entries: RetentionEntry[] = [];
  const statementUntil = new Map<string, string>();
  const supportOf = new Map<string, BatchSupport>();
  for (const b of source.batches) supportOf.set(b.batch.batchId, b.support);
  for (const s of source.statements) {
    const batchEnd = supportOf.get(s.batchId)?.supportEndDate;
    const until = computeRetainUntil(s.dateOfIssue, [
      s.retainUntil,
      ...source.supportEndDates(s.productId),
      ...(batchEnd ? [batchEnd] : []),
    ]);
    entries.push({
      kind: 'statement',
      id: `${s.id} (batch ${s.batchId})`,
      productId: s.productId,
      since: s.dateOfIssue,
      retainUntil: until,
      basis:
        `${until === s.retainUntil ? 'issued with this date' : 'extended: support period extended after issue'}; ` +
        (until === tenYearPeriodEnd(s.dateOfIssue)
          ? 'the 10 years from issue govern (regulations 8(a) and 9(a))'
          : 'the defined support period governs (regulations 8(b) and 9(b))'),
    });
    const previous = statementUntil.get(s.batchId);
    if (!previous || until > previous) statementUntil.set(s.batchId, until);
  }
  for (const { batch, support, productId } of source.batches) {
    const own = support.retentionUntil;
    const viaStatement = statementUntil.get(batch.batchId);
    const until = viaStatement && viaStatement > own ? viaStatement : own;
    entries.push({
      kind: 'batch',
      id: batch.batchId,
      productId,
      since: batch.recordedAt.slice(0, 10),
      retainUntil: until,
      basis:
        until !== own
          ? 'kept as long as its statement'
          : support.extended
            ? `batch record; support period extended from ${support.extended.from} to ${support.supportEndDate} (evidence seq ${support.extended.termsSeq})`
            : 'batch record',
    });
  }
  const latestByProduct = new Map<string, string>();
  for (const e of entries) {
    if (e.productId && e.retainUntil > (latestByProduct.get(e.productId) ?? '')) {
      latestByProduct.set(e.productId, e.retainUntil);
    }
  }
  for (const revision of source.productRevisions) {
    const until = latestByProduct.get(revision.productId);
    entries.push({
      kind: 'product-record',
      id: `${revision.productId} revision ${revision.revision}`,
      productId: revision.productId,
      since: revision.recordedAt.slice(0, 10),
      retainUntil: until ?? revision.supportEndDate ?? revision.recordedAt.slice(0, 10),
      basis: until ? 'needed to re-render the statements of this product' : 'no statement issued yet',
    });
  }
  return entries;
}
