/** D-Link (`DLink-XXXXXX`), reference §2.9: 20 MAC nibbles in a fixed order mapped through a 16-character table. */
import { macHex, type Identifiers, type KnownScheme } from './known-scheme.js';

const POSITIONS = [11, 0, 10, 1, 9, 2, 8, 3, 7, 4, 6, 5, 1, 6, 8, 9, 11, 2, 4, 10];
const TABLE = 'XrqaHNpdSYw86215';

/** @example dlinkKey('123456789ABC') // '6r8qwaYHSNdpqdYw6aN8' */
export function dlinkKey(macHex12: string): string {
  return POSITIONS.map((i) => TABLE[parseInt(macHex12[i] ?? '0', 16)] ?? '').join('');
}

export const dlink: KnownScheme = {
  id: 'dlink',
  name: 'D-Link (reference §2.9)',
  candidates(ids: Identifiers) {
    const mac = macHex(ids);
    return mac ? [dlinkKey(mac)] : [];
  },
};
