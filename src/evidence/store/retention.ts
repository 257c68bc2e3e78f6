/**
 * Retention of a batch's evidence (regulations 8 and 9): the later of the last day of the 10-year period beginning
 * with the batch's date, and the end of the defined support period.
 */

/**
 * @example retentionUntil('2026-06-15', '2030-12-31') // '2036-06-14'
 * @example retentionUntil('2024-02-29', '2030-12-31') // '2034-02-28'
 * @example retentionUntil('2026-06-15', '2038-12-31') // '2038-12-31'
 */
export function retentionUntil(issueDate: string, supportEndDate: string): string {
  const [year, month, day] = issueDate.split('-').map(Number) as [number, number, number];
  // The tenth anniversary (29 February rolls to 1 March), minus the one day a period "beginning with" counts.
  const periodEnd = new Date(Date.UTC(year + 10, month - 1, day) - 86_400_000).toISOString().slice(0, 10);
  return periodEnd > supportEndDate ? periodEnd : supportEndDate;
}
