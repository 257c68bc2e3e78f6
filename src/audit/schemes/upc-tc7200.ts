/**
 * UPC / Technicolor TC7200 (`upc_keys`, 2015), reference §2.1: an 8-letter key from MD5 of the serial `SAAP` +
 * 8 digits (2.4 GHz) or of the reversed serial (5 GHz), and the `UPC%07d` SSID from the serial digits.
 */
import { md5, type Identifiers, type KnownScheme } from './known-scheme.js';

const SERIAL = /^SAAP(\d)(\d\d)(\d)(\d{4})$/;
export type UpcBand = '2.4GHz' | '5GHz';

function mangle(p0: number, p1: number, p2: number, p3: number): number {
  const a = Math.floor(p3 / 9999); // ((p3 * 0x68DE3AF) >> 40) - (p3 >> 31) for a uint16 p3
  const b = ((p3 - a * 9999 + 1) * 11) % 2 ** 32;
  return (b * (p1 * 100 + p2 * 10 + p0)) % 2 ** 32;
}

/**
 * The default key of a TC7200 serial.
 *
 * @example upcPassword('SAAP19165767', '2.4GHz') // 'CWGUJAJX'
 */
export function upcPassword(serial: string, band: UpcBand): string {
  const input = band === '2.4GHz' ? serial : [...serial].reverse().join('');
  const h1 = md5(input);
  const p = Array.from({ length: 8 }, (_, i) => h1.readUInt16LE(i * 2));
  const [p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0] = p;
  const w1 = mangle(p0, p1, p2, p3);
  const w2 = mangle(p4, p5, p6, p7);
  const text =
    w1.toString(16).toUpperCase().padStart(8, '0') + w2.toString(16).toUpperCase().padStart(8, '0');
  const h2 = md5(text);
  let key = '';
  for (let i = 0; i < 8; i++) {
    const v = (h2[i] ?? 0) & 0x1f;
    let c = 0x41 + (v % 23);
    if (c >= 0x49) c++; // skip I
    if (c >= 0x4c) c++; // skip L
    if (c >= 0x4f) c++; // skip O
    key += String.fromCharCode(c);
  }
  return key;
}

/**
 * The SSID number (`UPC%07d`) of a TC7200 serial, computed in 64-bit arithmetic as the reference specifies.
 *
 * @example upcSsid('SAAP19165767', '2.4GHz') // 'UPC1234567'
 */
export function upcSsid(serial: string, band: UpcBand): string | null {
  const m = SERIAL.exec(serial);
  if (!m) return null;
  const [d0, d1, d2, d3] = [m[1], m[2], m[3], m[4]].map((s) => BigInt(s ?? '0')) as [
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const magic = band === '2.4GHz' ? 0xff8d8f20n : 0xffd9da60n;
  const mask = 0xffffffffn;
  const a = d1 * 10n + d2;
  const b = (d0 * 2500000n + a * 6800n + d3 + magic) & mask;
  const q = ((b * 0x6b5fca6bn) >> 54n) - (b >> 31n);
  const ssid = (b - q * 10_000_000n) & mask;
  return `UPC${ssid.toString().padStart(7, '0')}`;
}

export const upcTc7200: KnownScheme = {
  id: 'upc-tc7200',
  name: 'UPC / Technicolor TC7200 (reference §2.1)',
  candidates(ids: Identifiers) {
    const serial = (ids['serial'] ?? '').trim().toUpperCase();
    if (!SERIAL.test(serial)) return [];
    return [upcPassword(serial, '2.4GHz'), upcPassword(serial, '5GHz')];
  },
};
