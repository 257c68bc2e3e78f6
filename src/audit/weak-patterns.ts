/**
 * The cheap exact pre-screen run over every row before zxcvbn: the human patterns zxcvbn would find, matched
 * exactly: words of the shipped lists (also in l33t spelling), keyboard walks and alphabetic/numeric sequences of
 * 4+, a character repeated 3+ times. A row is flagged for zxcvbn when such patterns cover at least half of it (4+
 * characters): a pattern inside mostly random symbols leaves far more than 10^10 guesses and cannot lower the score,
 * so random rows are rarely flagged.
 */
import { isPublicEntry, isPublicPrefix4 } from '../policy/index.js';

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
const L33T: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

export type WeakPattern = 'dictionary' | 'keyboard' | 'sequence' | 'repeat';

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);

/**
 * The main weak pattern of a password when patterns cover at least half of it, or null.
 *
 * @example findWeakPattern('xx7Sunset9') // 'dictionary'
 * @example findWeakPattern('P@ssw0rd1234') // 'dictionary'
 * @example findWeakPattern('wNADKmUL9yu5') // null
 */
export function findWeakPattern(password: string): WeakPattern | null {
  const folded = password.toLowerCase();
  const n = folded.length;
  if (n === 0) return null;
  const needed = Math.max(Math.min(4, n), Math.ceil(n / 2));
  const covered = new Uint8Array(n);
  const cover = (from: number, to: number): void => {
    covered.fill(1, from, to);
  };
  const coverage = (): number => covered.reduce((a, b) => a + b, 0);
  const found = new Map<WeakPattern, number>();
  const note = (pattern: WeakPattern, length: number): void => {
    found.set(pattern, (found.get(pattern) ?? 0) + length);
  };

  // Repeats (3+) and sequences (4+, step ±1 over digits or letters).
  let repeatRun = 1;
  let seqRun = 1;
  let step = 0;
  for (let i = 1; i < n; i++) {
    const prev = folded.charCodeAt(i - 1);
    const cur = folded.charCodeAt(i);
    repeatRun = cur === prev ? repeatRun + 1 : 1;
    if (repeatRun >= 3) {
      cover(i - repeatRun + 1, i + 1);
      if (repeatRun === 3) note('repeat', 3);
    }
    const d = cur - prev;
    if ((d === 1 || d === -1) && isAlnum(cur) && isAlnum(prev)) seqRun = d === step ? seqRun + 1 : 2;
    else seqRun = 1;
    step = d;
    if (seqRun >= 4) {
      cover(i - seqRun + 1, i + 1);
      if (seqRun === 4) note('sequence', 4);
    }
  }
  for (let i = 0; i + 4 <= n; i++) {
    if (WALKS.has(folded.slice(i, i + 4))) {
      cover(i, i + 4);
      note('keyboard', 4);
    }
  }
  // Words (l33t undone), only as long as could still reach half the password.
  const minWord = Math.max(4, needed - coverage());
  const plain = [...folded].map((ch) => L33T[ch] ?? ch).join('');
  const letters = /[a-z]+/g;
  for (let m = letters.exec(plain); m; m = letters.exec(plain)) {
    const word = m[0];
    if (word.length < minWord) continue;
    let best: { at: number; length: number } | null = null;
    for (let i = 0; i + minWord <= word.length; i++) {
      if (!isPublicPrefix4(word.slice(i, i + 4))) continue;
      for (
        let length = Math.min(word.length - i, 16);
        length >= minWord && length > (best?.length ?? 0);
        length--
      ) {
        if (isPublicEntry(word.slice(i, i + length))) best = { at: i, length };
      }
    }
    if (best) {
      cover(m.index + best.at, m.index + best.at + best.length);
      note('dictionary', best.length);
    }
  }
  if (coverage() < needed) return null;
  return [...found].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
