/**
 * The defined support period at first supply is history (Schedule 4 para 1(e); Schedule 1 para 3(6)): once a
 * revision records it (`$.supportPeriod.atFirstSupply`) or an issued statement states it, no later revision may drop
 * it or move it. A record's first-supply period is `atFirstSupply.endDate`, or `endDate` when it gives none: that is
 * what its next statement would state.
 */
import { usageError } from '../errors/credline-error.js';
import { formatLongDate } from './calendar-date.js';
import type { ProductRecord } from './product-record.js';

/** Where the first-supply period was fixed, and to what. */
export interface FixedFirstSupply {
  endDate: string;
  /** e.g. `revision 3` or `statement 1 (issued 2026-01-31 for batch B-1)`. */
  fixedBy: string;
}

/** What a record's next statement would state as the period correct at first supply. */
export function firstSupplyEndOf(record: ProductRecord): string | undefined {
  return record.supportPeriod?.atFirstSupply?.endDate ?? record.supportPeriod?.endDate;
}

/**
 * The first-supply period fixed by earlier revisions and issued statements (the earliest that fixed it), or
 * undefined when none has.
 */
export function fixedFirstSupply(
  revisions: readonly ProductRecord[],
  statements: readonly { id: number; dateOfIssue: string; batchId: string; supportEndDate: string }[],
): FixedFirstSupply | undefined {
  const byStatement = [...statements].sort((a, b) => a.id - b.id)[0];
  const byRevision = [...revisions]
    .sort((a, b) => a.revision - b.revision)
    .find((r) => r.supportPeriod?.atFirstSupply !== undefined);
  const fixedBy: string[] = [];
  let endDate: string | undefined;
  if (byRevision) {
    endDate = byRevision.supportPeriod?.atFirstSupply?.endDate;
    fixedBy.push(`revision ${byRevision.revision}`);
  }
  if (byStatement) {
    endDate ??= byStatement.supportEndDate;
    fixedBy.push(
      `statement ${byStatement.id} (issued ${byStatement.dateOfIssue} for batch ${byStatement.batchId})`,
    );
  }
  return endDate === undefined ? undefined : { endDate, fixedBy: fixedBy.join(' and ') };
}

/** Refuses a record whose first-supply period differs from the fixed one, naming what fixed it. */
export function assertFirstSupplyKept(
  record: ProductRecord,
  fixed: FixedFirstSupply | undefined,
  where: string,
): void {
  if (!fixed) return;
  const stated = firstSupplyEndOf(record);
  if (stated === fixed.endDate) return;
  const recorded = record.supportPeriod?.atFirstSupply?.endDate;
  const what =
    recorded === undefined
      ? `drops $.supportPeriod.atFirstSupply, so its next statement would say ${stated ?? 'nothing'} was correct at first supply`
      : `moves $.supportPeriod.atFirstSupply.endDate to ${recorded}`;
  throw usageError(
    'FIRST_SUPPLY_PERIOD_CHANGED',
    `${where}: revision ${record.revision} ${what}; the period at first supply was fixed at ` +
      `${fixed.endDate} (${formatLongDate(fixed.endDate)}) by ${fixed.fixedBy} and can neither disappear nor ` +
      `change: keep "atFirstSupply": { "endDate": "${fixed.endDate}" } and extend $.supportPeriod.endDate instead`,
  );
}

/** The parts of the compliance store the history is read from. */
export interface ProductHistorySource {
  listProductRevisions(productId: string): { revision: number }[];
  getProductRecord(productId: string, revision?: number): ProductRecord;
  listStatements(): {
    id: number;
    productId: string;
    batchId: string;
    dateOfIssue: string;
    statement: { supportPeriod: { endDate: string } };
  }[];
}

/** The first-supply period the store's revisions and statements of a product have fixed. */
export function fixedFirstSupplyInStore(
  store: ProductHistorySource,
  productId: string,
): FixedFirstSupply | undefined {
  const revisions = store
    .listProductRevisions(productId)
    .map((r) => store.getProductRecord(productId, r.revision));
  const statements = store
    .listStatements()
    .filter((s) => s.productId === productId)
    .map((s) => ({ ...s, supportEndDate: s.statement.supportPeriod.endDate }));
  return fixedFirstSupply(revisions, statements);
}
