/**
 * The console's two static files (src/web/assets: the stylesheet and the live-update script), read once from this
 * installation and served by the console itself: no CDN, nothing fetched from elsewhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type AssetName = 'console.css' | 'console.js';

const TYPES: Record<AssetName, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
};

const cache = new Map<AssetName, string>();

/** src/web/assets of this installation (found by walking up to credline's package.json, from src/ or dist/src/). */
function assetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'src', 'web', 'assets');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the console assets (src/web/assets)');
    dir = parent;
  }
}

export function readAsset(name: AssetName): { text: string; type: string } | undefined {
  if (!Object.hasOwn(TYPES, name)) return undefined;
  const type = TYPES[name];
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(assetsDir(), name), 'utf8');
    cache.set(name, text);
  }
  return { text, type };
}
