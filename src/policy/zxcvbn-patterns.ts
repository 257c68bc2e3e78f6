/**
 * What zxcvbn 4.4.2 could match, over-approximated: for every substring of a password, a number no greater than
 * the guesses any of zxcvbn's matchers (node_modules/zxcvbn/lib/matching.js) would give a match on exactly that
 * substring. The argument for each bound is in docs/policy.md; the data (ranked word lists, keyboard graphs, l33t
 * table, scoring constants) is read from the installed zxcvbn, so the bounds follow the version in the lockfile.
 */
import { createRequire } from 'node:module';
import { WordTrie } from './word-trie.js';

type Graph = Record<string, (string | null)[]>;

interface ZxcvbnData {
  /** Each word's lowest rank over every ranked list (ranks start at 1); UNBOUNDED for Object.prototype keys. */
  words: WordTrie;
  /** Per ASCII code: the lower-cased character and the letters it can stand for in a l33t substitution. */
  options: number[][];
  /** Pairs zxcvbn's keyboard or keypad graphs treat as adjacent (`prev * 128 + next`, ASCII). */
  adjacent: Set<number>;
  /** The lowest `starting positions × average degree` of any graph: a spatial run of L keys costs at least (L−1)×. */
  spatialStep: number;
}

/** Keys every plain object answers `in` for: zxcvbn's `word in ranked_dict` would give them a non-number rank. */
const PROTOTYPE_WORDS = Object.getOwnPropertyNames(Object.prototype).filter((w) => w === w.toLowerCase());
/** A rank that sends the password to zxcvbn itself: a prototype key's "rank" is not a number in zxcvbn. */
export const UNBOUNDED = -1;

let data: ZxcvbnData | undefined;

function loadData(): ZxcvbnData {
  if (data) return data;
  const require = createRequire(import.meta.url);
  const lists = require('zxcvbn/lib/frequency_lists.js') as Record<string, string[]>;
  const graphs = require('zxcvbn/lib/adjacency_graphs.js') as Record<string, Graph>;
  const scoring = require('zxcvbn/lib/scoring.js') as Record<string, number>;
  const all = [...Object.values(lists).flat(), ...PROTOTYPE_WORDS];
  const ranks = [...Object.values(lists).flatMap((list) => list.map((_, index) => index + 1))];
  const words = new WordTrie(all, [...ranks, ...PROTOTYPE_WORDS.map(() => UNBOUNDED)]);
  // matching.js L33T_TABLE, as of zxcvbn 4.4.2 (it is not exported).
  const table: Record<string, string> = {
    a: '4@',
    b: '8',
    c: '({[<',
    e: '3',
    g: '69',
    i: '1!|',
    l: '1|7',
    o: '0',
    s: '$5',
    t: '+7',
    x: '%',
    z: '2',
  };
  const options = Array.from({ length: 128 }, (_, code) => [
    String.fromCharCode(code).toLowerCase().charCodeAt(0),
  ]);
  for (const [letter, subs] of Object.entries(table)) {
    for (const sub of subs) options[sub.charCodeAt(0)]?.push(letter.charCodeAt(0));
  }
  const adjacent = new Set<number>();
  for (const graph of Object.values(graphs)) {
    for (const [key, neighbours] of Object.entries(graph)) {
      for (const n of neighbours)
        for (const ch of n ?? '') adjacent.add(key.charCodeAt(0) * 128 + ch.charCodeAt(0));
    }
  }
  const keyboard = (scoring['KEYBOARD_STARTING_POSITIONS'] ?? 0) * (scoring['KEYBOARD_AVERAGE_DEGREE'] ?? 0);
  const keypad = (scoring['KEYPAD_STARTING_POSITIONS'] ?? 0) * (scoring['KEYPAD_AVERAGE_DEGREE'] ?? 0);
  data = { words, options, adjacent, spatialStep: Math.min(keyboard, keypad) };
  return data;
}

/** zxcvbn's MIN_SUBMATCH_GUESSES_SINGLE_CHAR and _MULTI_CHAR: the least a match shorter than the password counts. */
const MIN_SUBMATCH_SINGLE = 10;
const MIN_SUBMATCH_MULTI = 50;
/** Least guesses of a recent_year regex match (MIN_YEAR_SPACE) and of a date (MIN_YEAR_SPACE × 365). */
const MIN_YEAR_GUESSES = 20;
const MIN_DATE_GUESSES = 20 * 365;
/** Least base guesses of a sequence (first symbol a, z, 0, 1 or 9, ascending) per symbol. */
const MIN_SEQUENCE_BASE = 4;
/** A repeat's guesses are its base's estimate (at least 1 match + 1) times its count (at least 2). */
const MIN_REPEAT_GUESSES = 4;
const MAX_SEQUENCE_DELTA = 5;
const POWERS_OF_TEN = Array.from({ length: 66 }, (_, k) => 10 ** k);

/**
 * `bounds[i * n + j]` for the substring i..j (inclusive) of an n-character password: a lower bound on the guesses
 * of any match zxcvbn's matchers could report there, including zxcvbn's floor for a match shorter than the password,
 * and never above the brute-force guesses 10^length (a brute-force match can cover any substring). Null when a
 * substring could reach a word zxcvbn cannot price (an Object.prototype key): then only zxcvbn can tell.
 *
 * `userInputs` are lower-cased as zxcvbn lower-cases them. The password must be printable ASCII.
 */
export function patternBounds(password: string, userInputs: readonly string[]): Float64Array | null {
  const { words, options: optionsOf, adjacent, spatialStep } = loadData();
  const n = password.length;
  const bounds = scratch(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) bounds[i * n + j] = POWERS_OF_TEN[j - i + 1] ?? Infinity;
  // The letters each position can stand for in a (lower-cased, possibly l33t-substituted) word.
  const options = Array.from({ length: n }, (_, i) => optionsOf[password.charCodeAt(i)] ?? []);
  const offer = (i: number, j: number, guesses: number): void => {
    const k = i * n + j;
    if (guesses < (bounds[k] ?? 0)) bounds[k] = guesses;
  };
  let unbounded = false;

  // Dictionary, reversed dictionary and l33t: walk the trie from each start, forwards and backwards.
  const walk = (from: number, at: number, step: 1 | -1, node: number): void => {
    if (at < 0 || at >= n) return;
    for (const code of options[at] ?? []) {
      const next = words.step(node, code);
      if (next < 0) continue;
      const rank = words.values[next] ?? NaN;
      if (rank === UNBOUNDED) unbounded = true;
      else if (!Number.isNaN(rank)) offer(Math.min(from, at), Math.max(from, at), rank);
      walk(from, at + step, step, next);
    }
  };
  for (let i = 0; i < n; i++) {
    walk(i, i, 1, WordTrie.ROOT);
    walk(i, i, -1, WordTrie.ROOT);
  }
  if (unbounded) return null;
  userInputs.forEach((input, index) => {
    const word = input.toLowerCase();
    const m = word.length;
    if (m === 0 || m > n) return;
    const fits = (start: number, reversed: boolean): boolean => {
      for (let k = 0; k < m; k++) {
        const want = word.charCodeAt(reversed ? m - 1 - k : k);
        if (!(options[start + k] ?? []).includes(want)) return false;
      }
      return true;
    };
    for (let start = 0; start + m <= n; start++) {
      if (fits(start, false) || fits(start, true)) offer(start, start + m - 1, index + 1);
    }
  });

  for (let i = 0; i < n; i++) {
    // Spatial: runs of 3+ keys, each adjacent to the one before in some graph.
    for (
      let j = i + 1;
      j < n && adjacent.has(password.charCodeAt(j - 1) * 128 + password.charCodeAt(j));
      j++
    ) {
      if (j - i >= 2) offer(i, j, (j - i) * spatialStep);
    }
    // Sequences: a constant step of 1..5 code points (2 symbols only at step ±1).
    const delta = password.charCodeAt(i + 1) - password.charCodeAt(i);
    if (i + 1 < n && delta !== 0 && Math.abs(delta) <= MAX_SEQUENCE_DELTA) {
      if (Math.abs(delta) === 1) offer(i, i + 1, 2 * MIN_SEQUENCE_BASE);
      for (let j = i + 2; j < n && password.charCodeAt(j) - password.charCodeAt(j - 1) === delta; j++) {
        offer(i, j, (j - i + 1) * MIN_SEQUENCE_BASE);
      }
    }
    // Repeats: a base of p symbols repeated 2+ times; the base's own estimate is at least 2 (one match plus 1).
    for (let p = 1; i + 2 * p <= n; p++) {
      let same = 0;
      while (i + p + same < n && password.charCodeAt(i + p + same) === password.charCodeAt(i + same)) same++;
      for (let length = 2 * p; length <= p + same; length += p) offer(i, i + length - 1, MIN_REPEAT_GUESSES);
    }
    // Recent years (4 digits) and dates: 4..8 digits, or digits around a repeated separator (6..10 characters).
    let digits = 0;
    while (i + digits < n && isDigit(password, i + digits)) digits++;
    for (let length = 4; length <= Math.min(8, digits); length++) offer(i, i + length - 1, MIN_DATE_GUESSES);
    if (digits >= 4 && /^(19\d\d|20[01]\d)/.test(password.slice(i, i + 4))) offer(i, i + 3, MIN_YEAR_GUESSES);
    for (let j = i + 5; digits > 0 && j < n && j <= i + 9; j++) {
      if (/^\d{1,4}([\s/\\_.-])\d{1,2}\1\d{1,4}$/.test(password.slice(i, j + 1)))
        offer(i, j, MIN_DATE_GUESSES);
    }
  }

  // zxcvbn's floor for a match shorter than the password.
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const k = i * n + j;
      const floor = j - i + 1 === n ? 1 : i === j ? MIN_SUBMATCH_SINGLE : MIN_SUBMATCH_MULTI;
      bounds[k] = Math.max(bounds[k] ?? 0, floor);
    }
  }
  return bounds;
}

let buffer = new Float64Array(64 * 64);

/** One buffer for every call (allocating a small typed array per candidate fragments the C heap). */
function scratch(size: number): Float64Array {
  if (buffer.length < size) buffer = new Float64Array(size);
  return buffer.subarray(0, size);
}

function isDigit(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c >= 0x30 && c <= 0x39;
}
