import { describe, expect, it } from 'vitest';
import {
  addYearsToDate,
  formatLongDate,
  isCalendarDate,
  parseCalendarDate,
} from '../../src/compliance/calendar-date.js';

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    for (const bad of [
      '2025-02-29',
      '2100-02-29',
      '2025-13-01',
      '2025-04-31',
      '2025-4-1',
      '20250401',
      '',
      '2025-01-01T00:00Z',
    ]) {
      expect(isCalendarDate(bad), bad).toBe(false);
    }
    expect(isCalendarDate('2000-02-29')).toBe(true);
  });

  it('moves a 29 February anniversary to 1 March', () => {
    expect(addYearsToDate('2024-02-29', 10)).toBe('2034-03-01');
    expect(addYearsToDate('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYearsToDate('2026-06-15', 10)).toBe('2036-06-15');
  });

  it('writes dates in words', () => {
    expect(formatLongDate('2030-12-31')).toBe('31 December 2030');
    expect(formatLongDate('2026-02-01')).toBe('1 February 2026');
  });
});
