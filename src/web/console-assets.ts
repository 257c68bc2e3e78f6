/**
 * The console's two static files (src/web/assets: the stylesheet and the live-update script), read once from this
 * installation and served by the console itself: no CDN, nothing fetched from elsewhere.
 */
import { readFileSync } from 'node:fs';
import { installedPath } from '../install/index.js';

export type AssetName = 'console.css' | 'console.js';

const TYPES: Record<AssetName, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
};

const cache = new Map<AssetName, string>();

export function readAsset(name: AssetName): { text: string; type: string } | undefined {
  if (!Object.hasOwn(TYPES, name)) return undefined;
  const type = TYPES[name];
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(installedPath('src', 'web', 'assets', name), 'utf8');
    cache.set(name, text);
  }
  return { text, type };
}
