/**
 * Where a worker thread's compiled entry module is. Worker threads run JavaScript only: from the build (dist/) the
 * entry sits next to the module starting it; when that module runs from its TypeScript source (the tests), the
 * entry is taken from the build that `npm test` makes first (`pretest`).
 *
 * @example
 * new Worker(compiledWorkerUrl('./evidence-writer-thread.js', import.meta.url));
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sep } from 'node:path';

export function compiledWorkerUrl(entry: string, importMetaUrl: string): URL {
  const url = new URL(entry, importMetaUrl);
  if (!importMetaUrl.endsWith('.ts')) return url;
  const path = fileURLToPath(url);
  const marker = `${sep}src${sep}`;
  const at = path.lastIndexOf(marker);
  if (at < 0) return url;
  return pathToFileURL(`${path.slice(0, at)}${sep}dist${path.slice(at)}`);
}
