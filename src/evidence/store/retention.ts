/**
 * Retention (regulations 8 and 9): evidence and statements of compliance are kept for the longer of 10 years
 * beginning with the date of issue and the defined support period. The one place the rule is written: the store
 * applies it to each batch (`retention_until`), compliance to statements, label routes and what it lists.
 */

/** Regulations 8(a) and 9(a): "a period of 10 years beginning with the date on which [it] was issued". */
export const RETENTION_YEARS = 10;

/**
 * The last day of the 10-year period that begins with `issueDate` (`YYYY-MM-DD`). A period "beginning with" a day
 * counts that day, so it ends the day before the tenth anniversary; a 29 February issue has its anniversary on
 * 1 March (no 29 February exists 10 years later), so its period ends on 28 February.
 *
 * @example tenYearPeriodEnd('2026-06-15') // '2036-06-14'
 * @example tenYearPeriodEnd('2024-02-29') // '2034-02-28'
 * @example tenYearPeriodEnd('2026-03-01') // '2036-02-29' (2036 is a leap year)
 */
export function tenYearPeriodEnd(issueDate: string): string {
  const [year, month, day] = issueDate.split('-').map(Number) as [number, number, number];
  const end = new Date(0);
  end.setUTCFullYear(year + RETENTION_YEARS, month - 1, day); // the anniversary: 29 February rolls to 1 March
  end.setUTCDate(end.getUTCDate() - 1);
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(end.getUTCFullYear(), 4)}-${pad(end.getUTCMonth() + 1, 2)}-${pad(end.getUTCDate(), 2)}`;
}

/**
 * Retain-until date (inclusive: keep through this day): the later of the end of the 10-year period and every
 * support-period end date given. Pass every end date known for the product: an extension (Schedule 1 para 3(3))
 * then extends retention.
 *
 * @example computeRetainUntil('2026-06-15', ['2030-12-31']) // '2036-06-14'
 * @example computeRetainUntil('2026-06-15', ['2030-12-31', '2038-12-31']) // '2038-12-31'
 */
export function computeRetainUntil(issueDate: string, supportEndDates: readonly string[]): string {
  return supportEndDates.reduce((a, b) => (a >= b ? a : b), tenYearPeriodEnd(issueDate));
}
