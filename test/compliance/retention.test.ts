import { describe, expect, it } from 'vitest';
import { CredlineError } from '../../src/errors/credline-error.js';
import { assertSupportPeriodNotShortened } from '../../src/compliance/support-period.js';
import { computeRetainUntil, tenYearPeriodEnd } from '../../src/evidence/index.js';
import { thrownBy } from './helpers.js';

describe('retention (regulations 8 and 9)', () => {
  it('ends the 10-year period the day before the tenth anniversary', () => {
    expect(tenYearPeriodEnd('2026-06-15')).toBe('2036-06-14');
    expect(tenYearPeriodEnd('2026-01-01')).toBe('2035-12-31');
  });

  it('handles 29 February: issue on a leap day, and a period ending on one', () => {
    // No 29 February in 2034: the anniversary is 1 March, so the period ends on 28 February.
    expect(tenYearPeriodEnd('2024-02-29')).toBe('2034-02-28');
    // Issued 1 March 2026: the period ends on 29 February 2036 (a leap year).
    expect(tenYearPeriodEnd('2026-03-01')).toBe('2036-02-29');
    expect(tenYearPeriodEnd('2026-02-28')).toBe('2036-02-27');
  });

  it('takes the later of the 10-year period and the support period end', () => {
    expect(computeRetainUntil('2026-06-15', ['2030-12-31'])).toBe('2036-06-14');
    expect(computeRetainUntil('2026-06-15', ['2040-01-31'])).toBe('2040-01-31');
    expect(computeRetainUntil('2026-06-15', [])).toBe('2036-06-14');
  });

  it('extends retention when the support period is extended', () => {
    const before = computeRetainUntil('2026-06-15', ['2034-12-31']);
    const after = computeRetainUntil('2026-06-15', ['2034-12-31', '2038-06-30']);
    expect(before).toBe('2036-06-14');
    expect(after).toBe('2038-06-30');
  });

  it('refuses a shortened support period and allows an equal or longer one', () => {
    expect(() => assertSupportPeriodNotShortened('2031-12-31', '2030-12-31', 'product.json')).toThrow(
      /para 3\(6\)/,
    );
    const error = thrownBy(() => assertSupportPeriodNotShortened('2031-12-31', '2031-12-30', 'product.json'));
    expect(error).toBeInstanceOf(CredlineError);
    expect(error.code).toBe('SUPPORT_PERIOD_SHORTENED');
    expect(() => assertSupportPeriodNotShortened('2031-12-31', '2031-12-31', 'x')).not.toThrow();
    expect(() => assertSupportPeriodNotShortened('2031-12-31', '2035-01-01', 'x')).not.toThrow();
  });
});
