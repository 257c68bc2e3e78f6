/**
 * credline password derivation, scheme v1 (docs/derivation.md is the normative text).
 *
 * Keying material comes from the NIST SP 800-108r1 KDF in counter mode (section 4.1) with HMAC-SHA-256 as the PRF
 * and a 32-bit counter before the fixed input (kbkdf.ts, checked against NIST's CAVP vectors); the byte stream is
 * encoded into the alphabet by rejection sampling, so no symbol is more likely than another.
 */
import { assertAlphabet, assertLength } from './alphabet.js';
import { concatBytes, uint32be, utf8Bytes } from './bytes.js';
import { kbkdfBlock } from './kbkdf.js';
import { lineKeyOf, type LineKey } from './line-key.js';
import { assertProfileId, canonicaliseSerial, MAX_SERIAL_BYTES, type SerialCase } from './serial.js';

const utf8 = new TextEncoder();

export const SCHEME_VERSION = 1;
export const SCHEME_LABEL = 'credline/password/v1';
/** Attempts run 0..MAX_ATTEMPT; a device whose every attempt is rejected FAILs. */
export const MAX_ATTEMPT = 15;
/** The reason recorded when an attempt's stream runs out before `length` symbols. */
export const STREAM_EXHAUSTED = 'stream-exhausted';

export interface SchemeParams {
  /** The device profile's id, `[a-z0-9][a-z0-9._-]{0,63}`. */
  profileId: string;
  /** The alphabet itself (not its name): 2..94 distinct printable ASCII symbols, in order. */
  alphabet: string;
  /** Password length in symbols, 4..64. */
  length: number;
  /** Serial canonicalisation; `asis` when omitted. */
  serialCase?: SerialCase;
}

/** One attempt's result: a password, or `null` when the stream ran out before `length` symbols. */
export interface Derivation {
  /** The canonical serial the password was derived from. */
  serial: string;
  attempt: number;
  password: string | null;
}

export type PasswordDeriver = (serial: string, attempt?: number) => Derivation;

function assertAttempt(attempt: number): void {
  if (!Number.isInteger(attempt) || attempt < 0 || attempt > MAX_ATTEMPT) {
    throw new RangeError(`"attempt" expected an integer 0..${MAX_ATTEMPT}, got ${attempt}`);
  }
}

/**
 * Prepares a deriver for one line key (32 bytes, or a {@link LineKey} such as a token key) and one scheme parameter
 * set; validation and keying happen once, so the returned function is the hot path (one HMAC per 32 bytes of
 * stream).
 *
 * @example
 * const derive = createPasswordDeriver(key, { profileId: 'acme-cam', alphabet: UNAMBIGUOUS56, length: 12 });
 * derive('KL2301-100001').password; // 'wNADKmUL9yu5' for the test-vector key 00 01 .. 1f
 */
export function createPasswordDeriver(key: Uint8Array | LineKey, params: SchemeParams): PasswordDeriver {
  const keyed = lineKeyOf(key);
  assertProfileId(params.profileId);
  assertAlphabet(params.alphabet);
  assertLength(params.length);
  const { alphabet, length } = params;
  const serialCase = params.serialCase ?? 'asis';
  const n = alphabet.length;
  const limit = 256 - (256 % n); // bytes >= limit are skipped: no modulo bias
  const blocks = Math.ceil(length / 8); // L = 256 * ceil(len / 8) bits: at least 4 bytes per symbol
  const zero = new Uint8Array([0]);
  // The KDF's fixed input data: label ‖ 0x00 ‖ context ‖ uint32be(L), where
  // context = profileId ‖ 0x00 ‖ serial ‖ 0x00 ‖ A ‖ 0x00 ‖ uint32be(len) ‖ uint32be(attempt); block i is
  // HMAC(K, uint32be(i) ‖ fixed input) (kbkdf.ts). One reusable buffer holds the counter and the fixed input; per call
  // only the serial, attempt and counter change, and blocks are made only while symbols are still wanted.
  const head = concatBytes(
    new Uint8Array(4),
    utf8Bytes(SCHEME_LABEL),
    zero,
    utf8Bytes(params.profileId),
    zero,
  );
  const middle = concatBytes(zero, utf8Bytes(alphabet), zero, uint32be(length));
  const tail = uint32be(blocks * 256);
  const message = new Uint8Array(head.length + MAX_SERIAL_BYTES + middle.length + 8);
  message.set(head);
  const view = new DataView(message.buffer);

  return (rawSerial, attempt = 0) => {
    assertAttempt(attempt);
    const serial = canonicaliseSerial(rawSerial, serialCase);
    let at = head.length + utf8.encodeInto(serial, message.subarray(head.length)).written;
    message.set(middle, at);
    at += middle.length;
    view.setUint32(at, attempt);
    message.set(tail, at + 4);
    const input = message.subarray(0, at + 8);
    let password = '';
    for (let counter = 1; counter <= blocks; counter++) {
      for (const b of kbkdfBlock(keyed, input, counter)) {
        if (b >= limit) continue;
        password += alphabet[b % n];
        if (password.length === length) return { serial, attempt, password };
      }
    }
    return { serial, attempt, password: null };
  };
}

/** One-shot derivation of one attempt; prefer {@link createPasswordDeriver} for many serials. */
export function derivePassword(
  key: Uint8Array | LineKey,
  params: SchemeParams & { serial: string; attempt?: number },
): Derivation {
  return createPasswordDeriver(key, params)(params.serial, params.attempt ?? 0);
}
