/**
 * A batch's support period and retention as they stand: the batch record gives them as the batch was opened; a
 * later `provision --support-end` extends them (PSTI Schedule 1 paragraph 3(3)) in a batch-terms record, never by
 * editing the batch record. Statements, packs, duties and retention read the terms in force from here.
 */
import type { BatchRecord, EvidenceQueries } from '../evidence/index.js';

export interface BatchSupport {
  /** The support period's end in force: the latest batch-terms record's, else the batch record's. */
  supportEndDate: string;
  /** Keep the batch's evidence through this day: the later of the batch record's and the terms' retention. */
  retentionUntil: string;
  /** After an extension: the batch record's own (original) end, and the seq of the batch-terms record. */
  extended?: { from: string; termsSeq: number };
}

/**
 * @example batchSupport(store.evidence, batch).supportEndDate // '2033-12-31' after an extension from 2031
 */
export function batchSupport(
  evidence: Pick<EvidenceQueries, 'getBatchTerms'>,
  batch: BatchRecord,
): BatchSupport {
  const terms = evidence.getBatchTerms(batch.batchId);
  if (!terms || terms.supportEndDate <= batch.supportEndDate) {
    return { supportEndDate: batch.supportEndDate, retentionUntil: batch.retentionUntil };
  }
  return {
    supportEndDate: terms.supportEndDate,
    retentionUntil: terms.retentionUntil > batch.retentionUntil ? terms.retentionUntil : batch.retentionUntil,
    extended: { from: batch.supportEndDate, termsSeq: terms.seq },
  };
}

/** `2033-12-31` or `2033-12-31 (extended from 2031-12-31, evidence seq 42)`. */
export function describeBatchSupport(support: BatchSupport): string {
  return support.extended
    ? `${support.supportEndDate} (extended from ${support.extended.from}, evidence seq ${support.extended.termsSeq})`
    : support.supportEndDate;
}
