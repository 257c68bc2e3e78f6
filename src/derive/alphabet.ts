import { usageError } from '../errors/credline-error.js';

/** The default alphabet: 56 symbols without the look-alikes 0/O, 1/l/I (DESIGN.md, scheme v1). */
export const UNAMBIGUOUS56 = '23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';

/** Named alphabets a profile or the CLI may refer to by name instead of spelling them out. */
export const NAMED_ALPHABETS: Readonly<Record<string, string>> = {
  unambiguous56: UNAMBIGUOUS56,
  digits: '0123456789',
  hex: '0123456789abcdef',
  alnum62: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  printable94: Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).join(''),
};

export const DEFAULT_LENGTH = 12;
export const MIN_LENGTH = 4;
export const MAX_LENGTH = 64;
/** The tool refuses any policy whose `len × log2(n)` is under this many bits. */
export const MIN_ENTROPY_BITS = 48;

/** Resolves a named alphabet, or returns the literal alphabet unchanged. */
export function resolveAlphabet(nameOrSymbols: string): string {
  return NAMED_ALPHABETS[nameOrSymbols] ?? nameOrSymbols;
}

/** Checks an alphabet against scheme v1: 2..94 distinct printable ASCII characters (0x21-0x7E). */
export function assertAlphabet(alphabet: string): void {
  if (alphabet.length < 2 || alphabet.length > 94) {
    throw usageError('ALPHABET_INVALID', `alphabet must have 2 to 94 symbols, got ${alphabet.length}`);
  }
  const seen = new Set<string>();
  for (const ch of alphabet) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x21 || code > 0x7e) {
      throw usageError(
        'ALPHABET_INVALID',
        `alphabet must be printable ASCII 0x21-0x7E; found U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
      );
    }
    if (seen.has(ch))
      throw usageError('ALPHABET_INVALID', `alphabet repeats the symbol ${JSON.stringify(ch)}`);
    seen.add(ch);
  }
}

export function assertLength(length: number): void {
  if (!Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH) {
    throw usageError(
      'LENGTH_INVALID',
      `password length must be an integer ${MIN_LENGTH}..${MAX_LENGTH}, got ${length}`,
    );
  }
}

/** Entropy of a uniformly random password: `len × log2(n)` bits. */
export function entropyBits(alphabetSize: number, length: number): number {
  return length * Math.log2(alphabetSize);
}

/** Refuses a password policy under `minBits` (never under the tool's floor of 48 bits). */
export function assertPolicyEntropy(alphabet: string, length: number, minBits = MIN_ENTROPY_BITS): void {
  const floor = Math.max(minBits, MIN_ENTROPY_BITS);
  const bits = entropyBits(alphabet.length, length);
  if (bits < floor) {
    throw usageError(
      'POLICY_TOO_WEAK',
      `password policy gives ${bits.toFixed(1)} bits (${length} symbols from an alphabet of ${alphabet.length}); ` +
        `at least ${floor} bits are required: use a longer password or a larger alphabet`,
    );
  }
}
