/**
 * Starting one of the console's child processes (verify, pack) from its compiled module, with structured-clone
 * messages (a zip's bytes arrive as a Uint8Array).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compiledWorkerUrl } from '../threads/index.js';

export function forkChild(entry: string, importMetaUrl: string, args: string[]): ChildProcess {
  return fork(fileURLToPath(compiledWorkerUrl(entry, importMetaUrl)), args, {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}
