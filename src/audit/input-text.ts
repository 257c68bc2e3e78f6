/** One line naming the exact input a report judged: its SHA-256, its rows and, for a CSV, the delimiter. */
import type { AuditInput } from './audit-types.js';

const DELIMITER_NAMES: Readonly<Record<string, string>> = { ',': 'comma', ';': 'semicolon', '\t': 'TAB' };

/**
 * @example describeInput({ source: 'b.csv', sha256: 'ab…', rows: 2000, delimiter: { char: ';', detected: true } })
 * // 'SHA-256 ab…, 2000 rows; semicolon-separated (detected from the header; --delimiter to choose)'
 */
export function describeInput(input: AuditInput): string {
  const parts = [`SHA-256 ${input.sha256}, ${input.rows} rows`];
  const d = input.delimiter;
  if (d) {
    const name = DELIMITER_NAMES[d.char] ?? JSON.stringify(d.char);
    parts.push(
      `${name}-separated (${d.detected ? 'detected from the header; --delimiter to choose' : 'given'})`,
    );
  }
  return parts.join('; ');
}
