/**
 * Opens a file that will hold plaintext passwords (derived CSVs, label records): created 0600, never replacing an
 * existing file unless `force`.
 */
import { chmodSync, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';

export async function openSecretOutput(path: string, force: boolean): Promise<WriteStream> {
  const stream = createWriteStream(path, { flags: force ? 'w' : 'wx', mode: 0o600 });
  try {
    await once(stream, 'open');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? 'it exists (use --force to replace it)' : fsErrorText(error);
    throw new CredlineError('OUTPUT_FILE', `cannot write ${path}: ${why}`, { exitCode: ExitCode.usage });
  }
  if (force) chmodSync(path, 0o600); // a replaced file keeps its old mode otherwise
  return stream;
}
