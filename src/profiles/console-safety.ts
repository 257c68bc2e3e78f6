/**
 * Console safety: a value sent to a device console must reach it as one literal word. Real U-Boot ran
 * `env set pw a;echo INJECTED` as two commands, so a profile declares what its console interprets and how values
 * are quoted, and credline refuses an alphabet containing a character that cannot be quoted for that console.
 */
import type { ConsoleSpec } from './profile-types.js';

/** White space is always interpreted: it splits words on every console we know of. */
const ALWAYS_INTERPRETED = ' \t';

/**
 * The characters of `symbols` that cannot be sent literally on this console, in order of first appearance.
 *
 * @example unquotableCharacters('ab;c', { interprets: ';$', quoting: 'none' }) // [';']
 * @example unquotableCharacters("ab;'", { interprets: ";'", quoting: 'single' }) // ["'"]
 */
export function unquotableCharacters(symbols: string, console: ConsoleSpec): string[] {
  const interpreted = new Set([...console.interprets, ...ALWAYS_INTERPRETED]);
  const bad = new Set<string>();
  for (const ch of symbols) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x21 || code > 0x7e) bad.add(ch);
    else if (console.quoting === 'none' && interpreted.has(ch)) bad.add(ch);
    else if (console.quoting === 'single' && ch === "'") bad.add(ch);
  }
  return [...bad];
}

/**
 * Quotes a value for the console so it arrives as one literal word. Throws when the value holds an unquotable
 * character: profile validation refuses such alphabets, so this is a second line of defence.
 *
 * @example quoteForConsole('a;b$c', { interprets: ';$', quoting: 'single' }) // "'a;b$c'"
 */
export function quoteForConsole(value: string, console: ConsoleSpec): string {
  const bad = unquotableCharacters(value, console);
  if (bad.length > 0)
    throw new RangeError(`value holds ${bad.length} character(s) this console cannot quote`);
  return console.quoting === 'single' ? `'${value}'` : value;
}
