/**
 * The statement PDF and the evidence pack as downloads, built by the compliance module's own functions: the pack is
 * written by the same code as `credline pack --out FILE.zip` (into a private temporary folder, then read back), so
 * the bytes are the same as the command's for the same store.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildEvidencePack,
  writePackZip,
  renderStatementPdf,
  type StatementOfCompliance,
} from '../compliance/index.js';

export async function evidencePackZip(dbFile: string, batchId: string): Promise<Uint8Array> {
  const pack = await buildEvidencePack({ dbFile, batchId, readonly: true });
  const dir = mkdtempSync(join(tmpdir(), 'credline-web-pack-'));
  try {
    const file = join(dir, 'pack.zip');
    await writePackZip(file, pack.files, pack.generatedAt);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function statementPdf(statement: StatementOfCompliance): Promise<Uint8Array> {
  return renderStatementPdf(statement);
}
