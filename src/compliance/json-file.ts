/** Reading and writing the JSON documents compliance staff keep (product records, statements). */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { usageError } from '../errors/credline-error.js';
import { findJsonSyntaxError } from './json-syntax.js';

/** Reads and parses a JSON file; a syntax error names the file, line and column. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      'FILE_UNREADABLE',
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      error,
    );
  }
  return parseJsonText(text, path);
}

/** Parses JSON text; a syntax error names `where`, the line and the column. */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = findJsonSyntaxError(text.replace(/^\uFEFF/, ''));
    if (offset >= 0) {
      const before = text.slice(0, offset).split('\n');
      const line = before.length;
      const column = (before.at(-1)?.length ?? 0) + 1;
      throw usageError('JSON_SYNTAX', `${where}:${line}:${column}: not valid JSON (${message})`, error);
    }
    throw usageError('JSON_SYNTAX', `${where}: not valid JSON (${message})`, error);
  }
}

/** Writes `text` to `path` all at once (temporary file, then rename), so a reader never sees half a file. */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}
