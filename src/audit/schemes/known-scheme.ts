/**
 * A published vendor scheme that computed default passwords or Wi-Fi keys from a device's own identifiers without a
 * secret key (reference: broken-default-schemes.md). Each is implemented from the reference's description, never
 * from public code; the auditor replays every scheme over a batch's identifiers.
 */
import { createHash } from 'node:crypto';
import { parseMac } from '../../policy/index.js';

export type Identifiers = Readonly<Record<string, string | undefined>>;

export interface KnownScheme {
  /** Stable id, e.g. `upc-tc7200`. */
  id: string;
  /** Who shipped it and which section of the reference describes it. */
  name: string;
  /** Every key the scheme would give this device (several where the reference lists variants). */
  candidates(ids: Identifiers): string[];
}

export function md5(data: string | Uint8Array): Buffer {
  return createHash('md5').update(data).digest();
}

export function sha1(data: string | Uint8Array): Buffer {
  return createHash('sha1').update(data).digest();
}

export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The MAC of a row as 12 upper-case hex digits, or null. */
export function macHex(ids: Identifiers): string | null {
  const mac = parseMac(ids['mac'] ?? '');
  return mac ? Buffer.from(mac).toString('hex').toUpperCase() : null;
}

/** A MAC (12 hex digits) plus `delta`, modulo 2^48, as 12 upper-case hex digits. */
export function addToMac(hex: string, delta: number): string {
  const value = (BigInt(`0x${hex}`) + BigInt(delta)) & 0xffffffffffffn;
  return value.toString(16).toUpperCase().padStart(12, '0');
}
