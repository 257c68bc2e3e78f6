/**
 * A short list of serials an operator writes by hand (`--reprovision-file`): one per line, LF or CRLF, a UTF-8 BOM
 * dropped, blank lines and `#` comments skipped. Each serial keeps where it came from (`FILE line N`) so that a bad
 * one is reported by line.
 */
import { readFileSync } from 'node:fs';
import { usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';

export function readSerialList(file: string): Array<{ serial: string; source: string }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError('SERIAL_LIST', `cannot read ${file}: ${fsErrorText(error)}`);
  }
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line, i) => ({ serial: line.trim(), source: `${file} line ${i + 1}` }))
    .filter(({ serial }) => serial !== '' && !serial.startsWith('#'));
}
