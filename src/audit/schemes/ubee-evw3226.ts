/**
 * UPC UBEE EVW3226 (2016), reference §2.2: SSID and 8-letter passphrase from MD5 chains over the MAC's
 * space-padded hex and two constants that ship in every firmware image.
 *
 * Left out: the ~500-word profanity list (it is in `ubee_keys.c`, not in the reference). A passphrase containing one
 * of those words is re-mapped through the alternative alphabet; the replay therefore tries both mappings for every
 * MAC, so a batch cannot hide behind the list.
 */
import { addToMac, macHex, md5, type Identifiers, type KnownScheme } from './known-scheme.js';

const SSID_CONSTANT = '555043444541554C5453534944'; // "UPCDEAULTSSID" (sic) in ASCII hex
const PASS_CONSTANT = '555043444541554C5450415353504852415345'; // "UPCDEAULTPASSPHRASE" (sic)
const ALT_ALPHABET = 'BBCDFFGHJJKLMNPQRSTVVWXYZZ';
/** The advertised BSSID is MAC+3 (2.4 GHz) or MAC+1 (5 GHz): an identifier column may hold either. */
const OFFSETS = [0, -1, -3];

function chain(macHex12: string, constant: string): Buffer {
  const bytes = macHex12.match(/../g) ?? [];
  const s = bytes.map((b) => parseInt(b, 16).toString(16).toUpperCase().padStart(2, ' ')).join('') + constant;
  const h1 = md5(Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from([0])]));
  let t = '';
  for (let i = 0; i < 6; i++) t += `0${((h1[i] ?? 0) & 0x0f).toString(16).toUpperCase()}`;
  return md5(Buffer.concat([Buffer.from(t, 'latin1'), Buffer.from([0])]));
}

/** @example ubeeSsid('647C34123456') // 'UPC3910551' */
export function ubeeSsid(macHex12: string): string {
  const h2 = chain(macHex12, SSID_CONSTANT);
  let ssid = 'UPC';
  for (let i = 0; i < 7; i++) ssid += String((h2[i] ?? 0) % 10);
  return ssid;
}

/**
 * Both mappings of the passphrase: `[plain, alternative]` (the firmware picks the alternative when the plain one
 * contains a word of its profanity list).
 *
 * @example ubeePasswords('647C34123456')[0] // 'HAYQQHCS'
 */
export function ubeePasswords(macHex12: string): [string, string] {
  const hb = chain(macHex12, PASS_CONSTANT);
  let plain = '';
  let alt = '';
  for (let i = 0; i < 8; i++) {
    const v = ((hb[i] ?? 0) + (hb[i + 8] ?? 0)) % 26;
    plain += String.fromCharCode(0x41 + v);
    alt += ALT_ALPHABET[v] ?? '';
  }
  return [plain, alt];
}

export const ubeeEvw3226: KnownScheme = {
  id: 'ubee-evw3226',
  name: 'UPC UBEE EVW3226 (reference §2.2; profanity list left out, both mappings tried)',
  candidates(ids: Identifiers) {
    const mac = macHex(ids);
    if (!mac) return [];
    return OFFSETS.flatMap((delta) => ubeePasswords(addToMac(mac, delta)));
  },
};
