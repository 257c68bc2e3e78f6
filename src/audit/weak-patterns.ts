/**
 * The cheap exact pre-screen run over every row before zxcvbn: the human patterns zxcvbn would find, matched
 * exactly (a dictionary word covering half the password or more, keyboard walks and alphabetic/numeric sequences
 * of 4+, a character repeated 3+ times). Rows it flags are scored by zxcvbn; random rows rarely trip it.
 */
import { isPublicEntry } from '../policy/public-lists.js';

const KEYBOARD_ROWS = [
  '1234567890',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertzuiop',
  'azertyuiop',
  'yxcvbnm',
];
const WALKS = new Set<string>();
for (const row of KEYBOARD_ROWS) {
  for (const text of [row, [...row].reverse().join('')]) {
    for (let i = 0; i + 4 <= text.length; i++) WALKS.add(text.slice(i, i + 4));
  }
}

export type WeakPattern = 'dictionary' | 'keyboard' | 'sequence' | 'repeat';

/**
 * The first weak pattern found in a password, or null.
 *
 * @example findWeakPattern('xx7Sunset9') // 'dictionary'
 * @example findWeakPattern('wNADKmUL9yu5') // null
 */
export function findWeakPattern(password: string): WeakPattern | null {
  const folded = password.toLowerCase();
  const n = folded.length;
  let run = 1;
  let step = 0;
  for (let i = 1; i < n; i++) {
    const prev = folded.charCodeAt(i - 1);
    const cur = folded.charCodeAt(i);
    if (cur === prev) {
      run = 1;
      step = 0;
      if (i >= 2 && folded.charCodeAt(i - 2) === cur) return 'repeat';
      continue;
    }
    const d = cur - prev;
    const alnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);
    if ((d === 1 || d === -1) && alnum(cur) && alnum(prev)) {
      run = d === step ? run + 1 : 2;
      step = d;
      if (run >= 4) return 'sequence';
    } else {
      run = 1;
      step = 0;
    }
  }
  for (let i = 0; i + 4 <= n; i++) if (WALKS.has(folded.slice(i, i + 4))) return 'keyboard';
  // A word zxcvbn could exploit covers at least half the password: a 5-letter word inside 12 random symbols
  // leaves more than 10^10 guesses and cannot lower the score, so it is not worth scoring.
  const minWord = Math.max(4, Math.ceil(n / 2));
  for (const word of folded.match(/[a-z]+/g) ?? []) {
    if (word.length < minWord) continue;
    for (let length = Math.min(word.length, 16); length >= minWord; length--) {
      for (let i = 0; i + length <= word.length; i++) {
        if (isPublicEntry(word.slice(i, i + length))) return 'dictionary';
      }
    }
  }
  return null;
}
