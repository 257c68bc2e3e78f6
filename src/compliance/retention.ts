/**
 * Retention of a statement of compliance and its evidence (regulations 8 and 9): the longer of 10 years beginning
 * with the date of issue and the defined support period set out in the statement.
 */
import { usageError } from '../errors/credline-error.js';
import { addYearsToDate, formatLongDate, laterDate, previousDay } from './calendar-date.js';

/** Regulations 8(a) and 9(a): "a period of 10 years beginning with the date on which [it] was issued". */
export const RETENTION_YEARS = 10;

/**
 * The last day of the 10-year period that begins with `issueDate`. A period "beginning with" a day counts that
 * day, so it ends the day before the tenth anniversary; a 29 February issue has its anniversary on 1 March (no
 * 29 February exists 10 years later), so its period ends on 28 February.
 *
 * @example tenYearPeriodEnd('2026-06-15') // '2036-06-14'
 * @example tenYearPeriodEnd('2024-02-29') // '2034-02-28'
 * @example tenYearPeriodEnd('2026-03-01') // '2036-02-29' (2036 is a leap year)
 */
export function tenYearPeriodEnd(issueDate: string): string {
  return previousDay(addYearsToDate(issueDate, RETENTION_YEARS));
}

/**
 * Retain-until date (inclusive: keep the copy through this day): the later of the end of the 10-year period and
 * the end date of the defined support period. Pass every support-period end date known for the product: an
 * extension (Schedule 1 para 3(3)) then extends retention.
 *
 * @example computeRetainUntil('2026-06-15', ['2030-12-31']) // '2036-06-14'
 * @example computeRetainUntil('2026-06-15', ['2030-12-31', '2038-12-31']) // '2038-12-31'
 */
export function computeRetainUntil(issueDate: string, supportEndDates: readonly string[]): string {
  return supportEndDates.reduce(laterDate, tenYearPeriodEnd(issueDate));
}

/**
 * Refuses a support period that ends earlier than one already published (Schedule 1 para 3(6): the requirement
 * is not met if the defined support period is shortened after publication). Equal or later is fine.
 */
export function assertSupportPeriodNotShortened(
  publishedEndDate: string,
  newEndDate: string,
  where: string,
): void {
  if (newEndDate < publishedEndDate) {
    throw usageError(
      'SUPPORT_PERIOD_SHORTENED',
      `${where}: the defined support period would end on ${formatLongDate(newEndDate)}, earlier than the ` +
        `${formatLongDate(publishedEndDate)} already published; Schedule 1 para 3(6) forbids shortening it ` +
        '(an extension is allowed)',
    );
  }
}
