/**
 * Calendar dates as the documents use them: `YYYY-MM-DD` strings (proleptic Gregorian, no time, no zone). Strings
 * of this form compare correctly with `<` and `>`, so the rest of the module keeps them as strings.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export interface CalendarDateParts {
  year: number;
  month: number;
  day: number;
}

/** True when `year` is a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Splits a `YYYY-MM-DD` string into its parts, or returns null when it is malformed or not a real date
 * (`2025-02-29`, `2025-13-01`).
 *
 * @example parseCalendarDate('2024-02-29') // { year: 2024, month: 2, day: 29 }
 */
export function parseCalendarDate(text: string): CalendarDateParts | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** True when `text` is a real `YYYY-MM-DD` date. */
export function isCalendarDate(text: string): boolean {
  return parseCalendarDate(text) !== null;
}

/** Formats parts as `YYYY-MM-DD`. */
export function formatCalendarDate(parts: CalendarDateParts): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
}

function requireDate(text: string): CalendarDateParts {
  const parts = parseCalendarDate(text);
  if (!parts) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(text)}`);
  return parts;
}

/**
 * The same day `years` later. A 29 February whose target year has no 29 February becomes 1 March: the
 * anniversary is the first day that is at least `years` whole years later.
 *
 * @example addYearsToDate('2024-02-29', 10) // '2034-03-01'
 */
export function addYearsToDate(date: string, years: number): string {
  const { year, month, day } = requireDate(date);
  const targetYear = year + years;
  if (day > daysInMonth(targetYear, month))
    return formatCalendarDate({ year: targetYear, month: month + 1, day: 1 });
  return formatCalendarDate({ year: targetYear, month, day });
}

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * A date in words, the way a reader without technical knowledge writes it.
 *
 * @example formatLongDate('2030-12-31') // '31 December 2030'
 */
export function formatLongDate(date: string): string {
  const { year, month, day } = requireDate(date);
  return `${day} ${MONTH_NAMES[month - 1] ?? ''} ${year}`;
}
