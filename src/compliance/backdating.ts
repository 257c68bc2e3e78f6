/**
 * A statement dated before its batch existed, or before the product's scope was decided, states something that
 * could not have been known on that date. Refused unless a reason is given; the reason is recorded in the statement.
 */
import { usageError } from '../errors/credline-error.js';

export interface BackdatingFacts {
  /** The batch's first PASS, `YYYY-MM-DD` (UTC), when the batch is in the evidence database. */
  firstPassOn?: string;
  /** `$.scope.decidedOn`. */
  scopeDecidedOn?: string;
}

/**
 * Undefined when the date of issue is on or after both facts; the record to keep when it is earlier and a reason is
 * given; otherwise throws, naming what came later.
 *
 * @example checkBackdating('2024-02-29', { firstPassOn: '2026-12-03' }, 'reissue of a lost 2024 statement')
 */
export function checkBackdating(
  dateOfIssue: string,
  facts: BackdatingFacts,
  reason: string | undefined,
): { reason: string; before: string } | undefined {
  const later: string[] = [];
  if (facts.firstPassOn && dateOfIssue < facts.firstPassOn) {
    later.push(`the batch's first PASS on ${facts.firstPassOn}`);
  }
  if (facts.scopeDecidedOn && dateOfIssue < facts.scopeDecidedOn) {
    later.push(`the scope decision on ${facts.scopeDecidedOn}`);
  }
  if (later.length === 0) return undefined;
  if (!reason?.trim()) {
    throw usageError(
      'STATEMENT_BACKDATED',
      `date of issue ${dateOfIssue} is before ${later.join(' and ')}: a statement cannot be dated before what it ` +
        'states existed; give --backdated-reason TEXT to issue it anyway (the reason is recorded in the statement)',
    );
  }
  return { reason: reason.trim(), before: later.join(' and ') };
}
