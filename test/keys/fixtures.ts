/** Shared helpers for the key file tests: the committed station fixture, temp dirs, and file mutation. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** RFC 8032 section 7.1 test 1: seed and public key. */
export const STATION_FIXTURE = join(FIXTURES, 'test-station-key.json');
export const STATION_FIXTURE_PASSPHRASE_FILE = join(FIXTURES, 'test-station-key-passphrase.txt');
export const STATION_FIXTURE_PASSPHRASE = 'credline test fixture passphrase';
export const RFC8032_TEST1_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
export const RFC8032_TEST1_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

export function makeTempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `credline-keys-${name}-`));
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Returns a deep copy of `doc` with the value at a dotted JSON path replaced (or removed when `value` is undefined). */
export function withField(
  doc: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(doc);
  const parts = path.split('.');
  let obj = copy;
  for (const part of parts.slice(0, -1)) obj = obj[part] as Record<string, unknown>;
  const last = parts[parts.length - 1] ?? '';
  if (value === undefined) Reflect.deleteProperty(obj, last);
  else obj[last] = value;
  return copy;
}

/** Flips the last hex digit of a hex string (a one-bit-ish change that keeps the string well formed). */
export function flipHex(hex: string): string {
  const last = hex[hex.length - 1] ?? '0';
  return hex.slice(0, -1) + (last === '0' ? '1' : '0');
}
