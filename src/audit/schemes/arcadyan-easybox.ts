/**
 * Arcadyan / Vodafone EasyBox, reference §2.4: 9 hex digits from 4-bit sums and XORs of the MAC's last 4 hex
 * digits and their decimal rendering. RouterKeygen also emits the variant with every 0 replaced by 1.
 */
import { macHex, type Identifiers, type KnownScheme } from './known-scheme.js';

/** @example easyboxKey('0012BF910BEC') // 'F9C8C9DEF' */
export function easyboxKey(macHex12: string): string {
  const mac = macHex12.toUpperCase();
  const c1 = String(parseInt(mac.slice(8, 12), 16)).padStart(5, '0');
  const s = [...c1.slice(1, 5)].map((ch) => parseInt(ch, 16)); // S7..S10
  const m = [...mac.slice(8, 12)].map((ch) => parseInt(ch, 16)); // M9..M12
  const [s7 = 0, s8 = 0, s9 = 0, s10 = 0] = s;
  const [m9 = 0, m10 = 0, m11 = 0, m12 = 0] = m;
  const k1 = (s7 + s8 + m11 + m12) & 0xf;
  const k2 = (m9 + m10 + s9 + s10) & 0xf;
  const nibbles = [k1 ^ s10, k2 ^ m10, m11 ^ s10, k1 ^ s9, k2 ^ m11, m12 ^ s9, k1 ^ s8, k2 ^ m12, k1 ^ k2];
  return nibbles.map((n) => n.toString(16).toUpperCase()).join('');
}

export const arcadyanEasybox: KnownScheme = {
  id: 'arcadyan-easybox',
  name: 'Arcadyan / Vodafone EasyBox (reference §2.4)',
  candidates(ids: Identifiers) {
    const mac = macHex(ids);
    if (!mac) return [];
    const key = easyboxKey(mac);
    return [key, key.replace(/0/g, '1')];
  },
};
