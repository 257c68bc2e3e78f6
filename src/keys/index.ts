/**
 * Keys: sealed key files holding a line key (password derivation) or a station's Ed25519 signing seed
 * (docs/keystore.md), and line keys in PKCS#11 tokens (pkcs11/), both as a LineKeyHandle. Everything outside
 * src/keys enters here.
 *
 * @example
 * import { openKeyFile, readKeyFileHeader } from '../keys/index.js';
 */
export { createKeyFile, openKeyFile, readKeyFileHeader } from './key-file.js';
export type { CreateKeyFileOptions, OpenedKey } from './key-file.js';
export type { KeyFileHeader } from './key-file-format.js';
export type { KeyKind } from './key-identity.js';
export { stationKeyId } from './key-identity.js';
export { TEST_VECTOR_KEY_ID, testKeyReason } from './test-keys.js';
export { changeKeyPassphrase, resealKeyFile } from './change-passphrase.js';
export { readHexKeyFile, readRawKeyFile } from './import-key.js';
export { SCRYPT_LIMITS } from './kdf.js';
export type { ScryptCost, ScryptParams } from './kdf.js';
export { assertNewPassphrase } from './passphrase-policy.js';
export { assertWritableTarget, writeFileAtomic } from './atomic-write.js';
export { exposedSecretWarning } from './file-access.js';
export { attachLineKey, fileLineKeyHandle, tokenLineKeyHandle } from './line-key-handle.js';
export type { LineKeyHandle, SharedLineKey } from './line-key-handle.js';
export {
  createTokenLineKey,
  formatPkcs11Uri,
  isPkcs11Uri,
  openTokenLineKey,
  parsePkcs11Uri,
} from './pkcs11/index.js';
export type {
  CreatedTokenKey,
  Pkcs11Uri,
  TokenDescription,
  TokenKeyFacts,
  TokenKeySpec,
  TokenLineKey,
} from './pkcs11/index.js';
