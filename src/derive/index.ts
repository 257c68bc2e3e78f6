/**
 * The keyed derivation scheme v1 (docs/derivation.md): alphabets and the entropy floor, serial canonicalisation,
 * the KDF core (NIST SP 800-108r1 counter mode with HMAC-SHA-256), password derivation, key id and fingerprints.
 * Pure: no file, port or clock.
 *
 * @example
 * const derive = createPasswordDeriver(key, { profileId: 'acme-cam', alphabet: UNAMBIGUOUS56, length: 12 });
 * derive('KL2301-100001').password; // 'wNADKmUL9yu5' for the test-vector key 00 01 .. 1f
 */
export {
  assertAlphabet,
  assertLength,
  assertPolicyEntropy,
  DEFAULT_LENGTH,
  entropyBits,
  MAX_LENGTH,
  MIN_ENTROPY_BITS,
  MIN_LENGTH,
  NAMED_ALPHABETS,
  resolveAlphabet,
  UNAMBIGUOUS56,
} from './alphabet.js';
export { concatBytes, toHex, uint32be, utf8Bytes } from './bytes.js';
export { KBKDF_MAX_BITS, kbkdfCounterHmacSha256 } from './kbkdf.js';
export { createFingerprinter, fingerprint, keyId } from './key-id.js';
export { assertLineKey, LINE_KEY_BYTES, lineKeyOf, type LineKey } from './line-key.js';
export {
  createPasswordDeriver,
  derivePassword,
  MAX_ATTEMPT,
  SCHEME_LABEL,
  SCHEME_VERSION,
  STREAM_EXHAUSTED,
  type Derivation,
  type PasswordDeriver,
  type SchemeParams,
} from './password.js';
export {
  assertProfileId,
  canonicaliseSerial,
  MAX_SERIAL_BYTES,
  trimSerial,
  type SerialCase,
} from './serial.js';
