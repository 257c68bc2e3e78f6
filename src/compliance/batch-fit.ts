/**
 * The rule a statement's batch must meet, once for a station's database and the central store: it has PASS
 * results, it is not linked to another product, and its support period in force agrees with the product record's.
 */
import { usageError } from '../errors/credline-error.js';
import type { BatchRecord } from '../evidence/index.js';
import type { BatchSupport } from './batch-support.js';

export interface BatchFacts {
  passes: number;
  /** The product the batch was linked to by an earlier statement, if any. */
  linkedProduct: string | undefined;
  /** Every support period end recorded for the product. */
  knownSupportEnds: readonly string[];
  support: BatchSupport;
}

export function assertBatchFits(
  batch: BatchRecord,
  facts: BatchFacts,
  productId: string,
  statedSupportEnd: string,
): void {
  if (facts.passes === 0) {
    throw usageError(
      'BATCH_HAS_NO_PASS',
      `batch ${batch.batchId} has no PASS results: there is no provisioned product to state compliance for`,
    );
  }
  if (facts.linkedProduct !== undefined && facts.linkedProduct !== productId) {
    throw usageError(
      'BATCH_PRODUCT_MISMATCH',
      `batch ${batch.batchId} belongs to product ${facts.linkedProduct}, not ${productId}`,
    );
  }
  const latest = facts.knownSupportEnds.reduce((a, b) => (a > b ? a : b), statedSupportEnd);
  const support = facts.support;
  if (support.supportEndDate < statedSupportEnd || support.supportEndDate > latest) {
    throw usageError(
      'BATCH_SUPPORT_MISMATCH',
      `batch ${batch.batchId} was recorded with a support period ending ${batch.supportEndDate}` +
        `${support.extended ? `, extended to ${support.supportEndDate} (evidence seq ${support.extended.termsSeq})` : ''}, but product ` +
        `${productId} states ${statedSupportEnd}${latest !== statedSupportEnd ? ` (extended to ${latest})` : ''}; ` +
        (support.supportEndDate > latest
          ? 'record the extended support period in the product record before issuing'
          : 'fix the product record or the batch before issuing'),
    );
  }
}
