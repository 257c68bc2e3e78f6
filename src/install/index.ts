/**
 * Files shipped with this installation of credline (package.json "files"): the device profiles, the examples, the
 * console's assets, the evidence pack's verify-pack.py. Found from the package root, the folder holding credline's
 * package.json, whether the code runs from its TypeScript source (tests) or from dist/.
 *
 * @example
 * readFileSync(installedPath('src', 'compliance', 'verify-pack.py'));
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The credline package root, found by walking up from this module to the package.json named credline. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'credline'
    ) {
      root = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the credline package root (its package.json)');
    dir = parent;
  }
}

/** A path inside this installation: `installedPath('device-profiles')`. */
export function installedPath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
