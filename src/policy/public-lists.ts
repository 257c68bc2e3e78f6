/**
 * Public information a default password must not be based on (Sch. 1 para 1(3)(b)): published default and common
 * password lists, dictionary words, and the manufacturer's own names. Sources and licences: docs/audit.md.
 */
import { createRequire } from 'node:module';
import { JOHN_PASSWORDS } from './data/john-passwords.js';
import { MIRAI_PASSWORDS } from './data/mirai-passwords.js';

/** Which public list an entry came from (the first that holds it, in this order). */
export type PublicListName =
  'mirai' | 'john' | 'zxcvbn-passwords' | 'zxcvbn-english-wikipedia' | 'zxcvbn-names' | 'zxcvbn-tv-and-film';

export interface PublicMatch {
  list: PublicListName;
  /** `exact`: the whole password (case-insensitive); `core`: a listed password with digits/symbols added around it. */
  how: 'exact' | 'core';
}

let lists: Map<string, PublicListName> | undefined;
/** Lists whose entries are passwords (a listed password with a suffix is still that password). */
const PASSWORD_LISTS: ReadonlySet<PublicListName> = new Set(['mirai', 'john', 'zxcvbn-passwords']);

function loadLists(): Map<string, PublicListName> {
  if (lists) return lists;
  const map = new Map<string, PublicListName>();
  const addAll = (name: PublicListName, entries: Iterable<string>): void => {
    for (const entry of entries) {
      const key = entry.toLowerCase();
      if (!map.has(key)) map.set(key, name);
    }
  };
  addAll('mirai', MIRAI_PASSWORDS);
  addAll('john', JOHN_PASSWORDS);
  const zxcvbnLists = createRequire(import.meta.url)('zxcvbn/lib/frequency_lists.js') as Record<
    string,
    string[]
  >;
  const split = (name: string): string[] => zxcvbnLists[name] ?? [];
  addAll('zxcvbn-passwords', split('passwords'));
  addAll('zxcvbn-english-wikipedia', split('english_wikipedia'));
  addAll('zxcvbn-names', [...split('female_names'), ...split('male_names'), ...split('surnames')]);
  addAll('zxcvbn-tv-and-film', split('us_tv_and_film'));
  lists = map;
  return map;
}

/** True when a lower-case string is an entry of any shipped list (passwords, words, names). */
export function isPublicEntry(folded: string): boolean {
  return loadLists().has(folded);
}

let prefixes: Set<string> | undefined;

/** True when some list entry of 4+ characters starts with these 4 lower-case characters (a cheap pre-filter). */
export function isPublicPrefix4(prefix: string): boolean {
  if (!prefixes) {
    prefixes = new Set<string>();
    for (const entry of loadLists().keys()) if (entry.length >= 4) prefixes.add(entry.slice(0, 4));
  }
  return prefixes.has(prefix);
}

/** Number of distinct (case-folded) entries across all shipped lists; loads them. */
export function publicListSize(): number {
  return loadLists().size;
}

const AFFIX = /^[^a-z]+|[^a-z]+$/g;

/**
 * Whether a password is a published one: equal to a list entry (case-insensitive), or, for password lists, a
 * listed password of 4+ characters with only digits or symbols added before or after (`admin1234`, `!password1`).
 *
 * @example matchPublicPassword('Admin') // { list: 'mirai', how: 'exact' }
 */
export function matchPublicPassword(password: string): PublicMatch | null {
  const map = loadLists();
  const folded = password.toLowerCase();
  const exact = map.get(folded);
  if (exact) return { list: exact, how: 'exact' };
  const core = folded.replace(AFFIX, '');
  if (core.length >= 4 && core !== folded) {
    const list = map.get(core);
    if (list && PASSWORD_LISTS.has(list)) return { list, how: 'core' };
  }
  return null;
}

const GENERIC_WORDS = new Set(['ltd', 'inc', 'llc', 'gmbh', 'plc', 'co', 'corp', 'the', 'and']);

/**
 * The public names of a product as lower-case alphanumeric strings: each name whole (separators removed) and its
 * words of 3+ characters, leaving out company suffixes such as `ltd`.
 *
 * @example publicNameForms(['Acme Cameras Ltd', 'KL-2301']) // ['acmecamerasltd', 'acme', 'cameras', 'kl2301']
 */
export function publicNameForms(names: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const name of names) {
    if (!name) continue;
    const whole = name.toLowerCase().replace(/[^0-9a-z]/g, '');
    if (whole.length >= 3) forms.add(whole);
    for (const word of name.toLowerCase().split(/[^0-9a-z]+/)) {
      if (word.length >= 3 && !GENERIC_WORDS.has(word)) forms.add(word);
    }
  }
  return [...forms];
}
