/**
 * Windows of unkeyed hashes of identifiers: the dominant broken-default scheme (reference, "Lessons" 1) is a
 * password cut from MD5/SHA-1/SHA-2/CRC32 of a serial or MAC, rendered as hex or base64.
 */
import { hash as oneShotHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { hashInputForms, type DeviceIdentity } from './identifier-forms.js';

export const UNKEYED_HASHES = ['md5', 'sha1', 'sha256', 'sha512', 'crc32'] as const;
export type UnkeyedHash = (typeof UNKEYED_HASHES)[number];

export const RENDERINGS = ['hex-lower', 'hex-upper', 'base64', 'base64url', 'decimal'] as const;
export type Rendering = (typeof RENDERINGS)[number];

/** The digest of `bytes` under one unkeyed hash (CRC32 as 4 big-endian bytes). */
export function unkeyedDigest(hash: UnkeyedHash, bytes: Uint8Array): Buffer {
  if (hash === 'crc32') {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(bytes));
    return out;
  }
  return oneShotHash(hash, bytes, 'buffer');
}

/** Renders a digest as text; `decimal` applies to CRC32 only (the 32-bit value), else returns ''. */
export function renderDigest(rendering: Rendering, digest: Buffer): string {
  switch (rendering) {
    case 'hex-lower':
      return digest.toString('hex');
    case 'hex-upper':
      return digest.toString('hex').toUpperCase();
    case 'base64':
      return digest.toString('base64');
    case 'base64url':
      return digest.toString('base64url');
    case 'decimal':
      return digest.length === 4 ? String(digest.readUInt32BE()) : '';
  }
}

/** Which hash of which identifier form, in which rendering, a password was found in. */
export interface HashHypothesis {
  column: string;
  form: string;
  hash: UnkeyedHash;
  rendering: Rendering;
}

export function describeHypothesis(h: HashHypothesis): string {
  return `${h.hash}(${h.column} ${h.form}) as ${h.rendering}`;
}

/** The characters each rendering can hold: a window of it holds only these. */
const RENDERING_SYMBOLS: Readonly<Record<Rendering, RegExp>> = {
  'hex-lower': /^[0-9a-f]*$/,
  'hex-upper': /^[0-9A-F]*$/,
  base64: /^[A-Za-z0-9+/=]*$/,
  base64url: /^[A-Za-z0-9_-]*$/,
  decimal: /^[0-9]*$/,
};

/**
 * Calls `visit` with every rendering (of those in `renderings`, default all) of every unkeyed hash of every
 * hash-input form of every identifier; stops when `visit` returns true. Byte-identical inputs of one column are
 * hashed once (the first form id is reported).
 */
export function visitHashRenderings(
  identity: DeviceIdentity,
  visit: (text: string, hypothesis: HashHypothesis) => boolean,
  renderings: readonly Rendering[] = RENDERINGS,
): boolean {
  if (renderings.length === 0) return false;
  for (const [column, value] of Object.entries(identity)) {
    if (value === undefined || value.length === 0) continue;
    const seen = new Set<string>();
    for (const form of hashInputForms(value)) {
      const key = Buffer.from(form.bytes).toString('latin1');
      if (seen.has(key)) continue;
      seen.add(key);
      for (const hash of UNKEYED_HASHES) {
        const digest = unkeyedDigest(hash, form.bytes);
        for (const rendering of renderings) {
          const text = renderDigest(rendering, digest);
          if (text && visit(text, { column, form: form.id, hash, rendering })) return true;
        }
      }
    }
  }
  return false;
}

/**
 * The first hash hypothesis under which `password` is a window (substring) of a rendered digest of an identifier,
 * or null. Passwords under `minLength` characters are not checked (any short string turns up by chance).
 *
 * @example findHashWindow('742DA831D2', { serial: 'CP0615313039' }) // { column: 'serial', hash: 'sha1', ... }
 */
export function findHashWindow(
  password: string,
  identity: DeviceIdentity,
  minLength = 6,
): HashHypothesis | null {
  if (password.length < minLength) return null;
  // Only renderings whose symbols could hold the password are computed (none: no digest is taken at all).
  const possible = RENDERINGS.filter((r) => RENDERING_SYMBOLS[r].test(password));
  let found: HashHypothesis | null = null;
  visitHashRenderings(
    identity,
    (text, hypothesis) => {
      if (text.includes(password)) found = hypothesis;
      return found !== null;
    },
    possible,
  );
  return found;
}
