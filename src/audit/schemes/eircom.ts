/**
 * Eircom (`eircomXXXX XXXX`), reference §2.8: SHA-1 over the decimal digits of 0x01000000 | (last 3 MAC bytes),
 * each spelled as an English word, and a fixed phrase; the key is the first 26 hex digits.
 */
import { macHex, sha1, type Identifiers, type KnownScheme } from './known-scheme.js';

const WORDS = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine'];
const PHRASE = 'Although your world wonders me, ';

/** @example eircomKey('000FCC59B09C') // '29b2e9560b3a83a187ec5f2057' */
export function eircomKey(macHex12: string): string {
  const n = 0x01000000 | parseInt(macHex12.slice(6, 12), 16);
  const spelled = [...String(n)].map((d) => WORDS[Number(d)] ?? '').join('');
  return sha1(spelled + PHRASE)
    .toString('hex')
    .slice(0, 26);
}

export const eircom: KnownScheme = {
  id: 'eircom',
  name: 'Eircom (reference §2.8)',
  candidates(ids: Identifiers) {
    const mac = macHex(ids);
    return mac ? [eircomKey(mac)] : [];
  },
};
