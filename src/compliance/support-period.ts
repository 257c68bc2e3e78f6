/**
 * The defined support period may be extended, never shortened, once published (Schedule 1 para 3(6)). Retention
 * itself (regulations 8 and 9) is the evidence store's rule: computeRetainUntil in src/evidence.
 */
import { usageError } from '../errors/credline-error.js';
import { formatLongDate } from './calendar-date.js';

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
