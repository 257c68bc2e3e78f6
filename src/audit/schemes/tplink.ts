/** TP-Link (some models), reference §2.10: the key is the MAC's last 8 hex digits, upper case. */
import { macHex, type Identifiers, type KnownScheme } from './known-scheme.js';

/** @example tplinkKey('F8D1111E28A5') // '111E28A5' */
export function tplinkKey(macHex12: string): string {
  return macHex12.slice(4, 12).toUpperCase();
}

export const tplink: KnownScheme = {
  id: 'tplink',
  name: 'TP-Link (reference §2.10)',
  candidates(ids: Identifiers) {
    const mac = macHex(ids);
    return mac ? [tplinkKey(mac)] : [];
  },
};
