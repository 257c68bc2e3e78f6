/** Writing a set of rendered documents: all rendered first, none written over an existing file unless forced. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { usageError } from '../../errors/credline-error.js';
import { writeFileAtomically } from '../../compliance/index.js';

/** A file name part made safe: anything but letters, digits, `.`, `_` and `-` becomes `_`. */
export function safeFileStem(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}

/** Refuses when any of `names` exists in `dir` and `force` is not set; returns the full paths. */
export function assertWritable(dir: string, names: readonly string[], force = false): string[] {
  const paths = names.map((name) => join(dir, name));
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length > 0 && !force) {
    throw usageError('FILE_EXISTS', `not overwriting ${existing.join(', ')} (use --force)`);
  }
  return paths;
}

/**
 * Writes every document into `dir` (created if needed). Refuses before writing anything when one exists and
 * `force` is not set, so a refusal leaves nothing half-written. Returns the paths written.
 */
export function writeDocuments(
  dir: string,
  documents: Record<string, string | Uint8Array>,
  force = false,
): string[] {
  const paths = Object.keys(documents).map((name) => join(dir, name));
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length > 0 && !force) {
    throw usageError('FILE_EXISTS', `not overwriting ${existing.join(', ')} (use --force)`);
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(documents)) writeFileAtomically(join(dir, name), data);
  return paths;
}
