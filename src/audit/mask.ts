/** How passwords appear in reports: masked unless the user asked for `--show-passwords`. */

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

/** The text a report shows for a password. */
export function showPassword(password: string, showPasswords: boolean): string {
  return showPasswords ? password : maskPassword(password);
}
