/**
 * Comtrend / Jazztel, reference §2.10: the first 20 hex digits of MD5 over a fixed prefix, parts of the MAC and
 * the last 4 characters of the SSID. OUI 001A2B has 512 candidates per device.
 *
 * Partial reference: only the OUI-001A2B mode has vectors. For other OUIs, `MAC[0..7]` is read as the first 8 hex
 * digits (the reference's inclusive index notation elsewhere); no vector confirms it.
 */
import { macHex, md5, type Identifiers, type KnownScheme } from './known-scheme.js';

const PREFIX = 'bcgbghgg';

/**
 * Every candidate for a MAC and the SSID's last 4 characters.
 *
 * @example comtrendKeys('001A2B112233', '1234')[0] // '9e701814299bf841e288'
 */
export function comtrendKeys(macHex12: string, ssid4: string): string[] {
  const mac = macHex12.toUpperCase();
  if (mac.startsWith('001A2B')) {
    const out: string[] = [];
    for (let i = 0; i < 512; i++) {
      const mid = i < 256 ? '64680C' : '3872C0';
      const byte = (i % 256).toString(16).toUpperCase().padStart(2, '0');
      out.push(
        md5(PREFIX + mid + byte + ssid4 + mac)
          .toString('hex')
          .slice(0, 20),
      );
    }
    return out;
  }
  return [
    md5(PREFIX + (mac.slice(0, 8) + ssid4).toUpperCase() + mac)
      .toString('hex')
      .slice(0, 20),
  ];
}

export const comtrendJazztel: KnownScheme = {
  id: 'comtrend-jazztel',
  name: 'Comtrend / Jazztel (reference §2.10)',
  candidates(ids: Identifiers) {
    const mac = macHex(ids);
    const ssid = (ids['ssid'] ?? '').trim();
    if (!mac || ssid.length < 4) return [];
    return comtrendKeys(mac, ssid.slice(-4));
  },
};
