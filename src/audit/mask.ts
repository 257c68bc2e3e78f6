/**
 * How passwords appear in reports: masked unless the user asked for `--show-passwords`, and always escaped (a
 * supplier's password may hold ESC or other control characters, which must never reach a terminal raw).
 */
import { printable } from '../errors/printable.js';

/**
 * Keeps the first and last character and replaces the rest with `*` (one per character, so lengths show);
 * passwords of 3 characters or fewer are fully masked.
 *
 * @example maskPassword('wNADKmUL9yu5') // 'w**********5'
 */
export function maskPassword(password: string): string {
  const chars = [...password];
  if (chars.length <= 3) return '*'.repeat(chars.length);
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** The text a report shows for a password, in every format. */
export function showPassword(password: string, showPasswords: boolean): string {
  return printable(showPasswords ? password : maskPassword(password), 1100);
}
