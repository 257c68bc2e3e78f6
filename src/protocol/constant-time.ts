import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in time that depends only on their lengths (read-back verification must not leak how many
 * leading characters matched).
 *
 * @example equalInConstantTime('abc', 'abc') // true
 */
export function equalInConstantTime(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}
