/**
 * Writing an evidence pack as a folder or a zip file (yazl). Either appears whole or not at all: it is built
 * under a temporary name beside the target and renamed into place.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { usageError } from '../errors/credline-error.js';
import type { PackFile } from './evidence-pack.js';

function refuseExisting(target: string): void {
  if (existsSync(target) && !(isDirectory(target) && readdirSync(target).length === 0)) {
    throw usageError(
      'PACK_EXISTS',
      `${target} exists: choose a new --out (a pack is never written over another)`,
    );
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Writes the pack's files under `dir` (which must not exist, or be empty); `dir/` names the same folder. */
export function writePackDirectory(given: string, files: readonly PackFile[]): void {
  const dir = given.length > 1 ? given.replace(/\/+$/, '') : given;
  refuseExisting(dir);
  const temporary = `${dir}.${process.pid}.partial`;
  rmSync(temporary, { recursive: true, force: true });
  for (const file of files) {
    const path = join(temporary, ...file.name.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.data);
  }
  if (existsSync(dir)) rmSync(dir, { recursive: true }); // empty, checked above
  renameSync(temporary, dir);
}

/**
 * Writes the pack as a zip file. Entries carry a fixed timestamp (`mtime`), so the same pack zips to the same
 * bytes.
 */
export async function writePackZip(path: string, files: readonly PackFile[], mtime: Date): Promise<void> {
  refuseExisting(path);
  const zip = new yazl.ZipFile();
  for (const file of files) zip.addBuffer(Buffer.from(file.data), file.name, { mtime, mode: 0o100644 });
  zip.end();
  const temporary = `${path}.${process.pid}.partial`;
  try {
    await pipeline(zip.outputStream, createWriteStream(temporary));
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw usageError('PACK_WRITE', `cannot write ${path}: ${(error as Error).message}`, error);
  }
}
