/**
 * The console's access token: read from a file only its owner can read, compared in constant time, and turned into
 * the session cookie's value by a keyed hash (the cookie never carries the token itself).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { usageError } from '../errors/credline-error.js';
import { pathErrorText } from '../errors/fs-error-text.js';

const MIN_TOKEN_CHARS = 16;

/**
 * Reads `--token-file`: refused unless it is a regular file of mode 0600 (or stricter) holding at least 16
 * printable characters (surrounding white space is ignored).
 */
export function readTokenFile(file: string): string {
  let stats: Stats;
  let text: string;
  try {
    stats = statSync(file);
    text = stats.isFile() ? readFileSync(file, 'utf8') : '';
  } catch (error) {
    throw usageError('WEB_TOKEN_FILE', `--token-file ${file}: ${pathErrorText(error, file)}`, error);
  }
  if (!stats.isFile()) throw usageError('WEB_TOKEN_FILE', `--token-file ${file}: not a regular file`);
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw usageError(
      'WEB_TOKEN_FILE',
      `--token-file ${file}: mode ${mode.toString(8).padStart(4, '0')} lets others read the token; run chmod 600 ${file}`,
    );
  }
  const token = text.trim();
  if (token.length < MIN_TOKEN_CHARS || !/^[\x21-\x7e]+$/.test(token)) {
    throw usageError(
      'WEB_TOKEN_FILE',
      `--token-file ${file}: expected one token of at least ${MIN_TOKEN_CHARS} printable ASCII characters ` +
        '(e.g. from: openssl rand -hex 32)',
    );
  }
  return token;
}

/** True when `given` equals `expected`, in time independent of where they differ (both are hashed first). */
export function tokensEqual(given: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The session cookie's value for a token. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('credline/web-session/v1').digest('hex');
}
