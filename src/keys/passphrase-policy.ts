/**
 * The rule for passphrases that seal a key file (create, import, passwd). Opening a file never applies it: an old
 * file keeps opening with the passphrase it was sealed with.
 */
import { usageError } from '../errors/credline-error.js';

export const MIN_PASSPHRASE_CHARS = 8;

/**
 * Throws PASSPHRASE_TOO_SHORT (exit 2) for a new passphrase under 8 characters (Unicode code points, after NFC).
 * The message never contains the passphrase.
 *
 * @example
 * assertNewPassphrase('hunter2'); // throws: the new passphrase has 7 characters; use at least 8
 */
export function assertNewPassphrase(passphrase: string): void {
  const chars = [...passphrase.normalize('NFC')].length;
  if (chars < MIN_PASSPHRASE_CHARS) {
    throw usageError(
      'PASSPHRASE_TOO_SHORT',
      `the new passphrase has ${chars} characters; use at least ${MIN_PASSPHRASE_CHARS} (a long phrase is best)`,
    );
  }
}
