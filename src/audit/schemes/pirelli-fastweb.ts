/**
 * Pirelli / Fastweb (`FASTWEB-1-<MAC>`), reference §2.6: MD5 over the 6 MAC bytes and a 20-byte salt from the
 * firmware; five 5-bit groups of the digest, each raised by 0x57 when ≥ 0x0A, rendered as 2 hex digits.
 *
 * Partial reference: the MD5 is verified against the published worked example, but the page's final key was not
 * visible. This key (e.g. `6b64756b04` for 00193EA1B2C3) follows the description and is what the replay tests.
 */
import { macHex, md5, type Identifiers, type KnownScheme } from './known-scheme.js';

const SALT = Buffer.from('22331134 0281FA22 11416811 12010522 71421066'.replace(/ /g, ''), 'hex');

export function pirelliDigest(macHex12: string): Buffer {
  return md5(Buffer.concat([Buffer.from(macHex12, 'hex'), SALT]));
}

/** @example pirelliKey('00193EA1B2C3') // '6b64756b04' */
export function pirelliKey(macHex12: string): string {
  const h = pirelliDigest(macHex12);
  const bits = h.readUInt32BE(0); // the first 25 bits are the top of the first 4 bytes
  let key = '';
  for (let i = 0; i < 5; i++) {
    let g = (bits >>> (27 - 5 * i)) & 0x1f;
    if (g >= 0x0a) g += 0x57;
    key += g.toString(16).padStart(2, '0');
  }
  return key;
}

export const pirelliFastweb: KnownScheme = {
  id: 'pirelli-fastweb',
  name: 'Pirelli / Fastweb (reference §2.6; final key not confirmed by the source)',
  candidates(ids: Identifiers) {
    const mac = macHex(ids);
    return mac ? [pirelliKey(mac)] : [];
  },
};
