/**
 * The KDF under scheme v1: NIST SP 800-108r1 (August 2022) section 4.1, KDF in counter mode, with HMAC-SHA-256 as
 * the PRF and r = 32: K(i) = PRF(K_IN, [i]_32 ‖ FixedInputData) for i = 1 … n, n = ⌈L / 256⌉, output the leftmost L
 * bits of K(1) ‖ … ‖ K(n). This is NIST CAVP's KBKDF configuration `[PRF=HMAC_SHA256] [CTRLOCATION=BEFORE_FIXED]
 * [RLEN=32_BITS]`; test/vectors/nist-kbkdf-ctr-hmac-sha256.txt holds its vectors.
 */
import { lineKeyOf, type LineKey } from './line-key.js';

/** The largest L: n = ⌈L / 256⌉ must fit the 32-bit counter, and L its own 32-bit field where the caller encodes it. */
export const KBKDF_MAX_BITS = 0xffff_ffff - (0xffff_ffff % 8);

/**
 * Block i of the KDF's output: HMAC-SHA-256(K, [i]_32 ‖ FixedInputData). `input` holds 4 bytes for the counter,
 * then the fixed input data; the counter is written in place (the derivation's hot path allocates nothing here).
 */
export function kbkdfBlock(key: LineKey, input: Uint8Array, counter: number): Uint8Array {
  input[0] = counter >>> 24;
  input[1] = (counter >>> 16) & 0xff;
  input[2] = (counter >>> 8) & 0xff;
  input[3] = counter & 0xff;
  return key.mac(input);
}

/**
 * L bits of keying material from the key and the fixed input data (L a multiple of 8, 8 ≤ L ≤ KBKDF_MAX_BITS).
 *
 * @example
 * toHex(kbkdfCounterHmacSha256(ki, fixedInput, 128)); // CAVP COUNT=0: '10621342bfb0fd40046c0e29f2cfdbf0'
 */
export function kbkdfCounterHmacSha256(
  key: Uint8Array | LineKey,
  fixedInput: Uint8Array,
  lengthBits: number,
): Uint8Array {
  if (
    !Number.isInteger(lengthBits) ||
    lengthBits < 8 ||
    lengthBits % 8 !== 0 ||
    lengthBits > KBKDF_MAX_BITS
  ) {
    throw new RangeError(
      `"lengthBits" expected a multiple of 8 from 8 to ${KBKDF_MAX_BITS}, got ${lengthBits}`,
    );
  }
  const keyed = lineKeyOf(key);
  const input = new Uint8Array(4 + fixedInput.length);
  input.set(fixedInput, 4);
  const out = new Uint8Array(lengthBits / 8);
  for (let counter = 1, at = 0; at < out.length; counter++) {
    const block = kbkdfBlock(keyed, input, counter);
    out.set(block.subarray(0, Math.min(block.length, out.length - at)), at);
    at += block.length;
  }
  return out;
}
