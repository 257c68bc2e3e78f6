/**
 * Sealed key files: one 32-byte secret (a line key, or a station's Ed25519 signing seed) sealed under a passphrase
 * with scrypt and XChaCha20-Poly1305, the public header authenticated as associated data. The format is specified
 * byte for byte in docs/keystore.md.
 *
 * @example
 * const header = await createKeyFile('line-3.ckey', { kind: 'line', passphrase, label: 'Line 3' });
 * const { secret } = await openKeyFile('line-3.ckey', passphrase);
 * try { use(secret); } finally { secret.fill(0); }
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { randomBytes } from '@noble/hashes/utils.js';
import { toHex } from '../derive/index.js';
import { usageError } from '../errors/credline-error.js';
import { writeFileAtomic, assertWritableTarget } from './atomic-write.js';
import { fsErrorText } from '../errors/fs-error-text.js';
import {
  type ScryptCost,
  type ScryptParams,
  DEFAULT_SCRYPT_COST,
  SALT_BYTES,
  assertScryptCost,
  deriveKeyEncryptionKey,
} from './kdf.js';
import {
  type KeyFileContents,
  type KeyFileHeader,
  KEY_FILE_FORMAT,
  KEY_FILE_VERSION,
  MAX_KEY_FILE_BYTES,
  checkLabel,
  formatKeyFileText,
  parseKeyFileText,
} from './key-file-format.js';
import { type KeyKind, KEY_KINDS, SECRET_BYTES, assertSecretMatches, identifyKey } from './key-identity.js';
import { assertNewPassphrase } from './passphrase-policy.js';
import { sealSecret, unsealSecret } from './seal.js';

export type { KeyKind } from './key-identity.js';
export type { KeyFileHeader } from './key-file-format.js';
export type { ScryptCost, ScryptParams } from './kdf.js';

/** An unsealed key. The caller owns `secret` and should `secret.fill(0)` when done with it. */
export interface OpenedKey {
  header: KeyFileHeader;
  /** 32 bytes: the line key, or the station's Ed25519 seed. */
  secret: Uint8Array;
}

export interface CreateKeyFileOptions {
  kind: KeyKind;
  /** At least 8 characters. */
  passphrase: string;
  label?: string;
  /** 32 bytes to seal (import); when absent, 32 fresh bytes from the CSPRNG. Not zeroed: the caller owns it. */
  secret?: Uint8Array;
  /** Replace an existing file. */
  force?: boolean;
  /** scrypt cost; defaults to N = 2^17, r = 8, p = 1. */
  kdf?: Partial<ScryptCost>;
  /** Mark the key as a demo key (authenticated in the header): `credline provision` refuses it unless told. */
  demo?: boolean;
}

/**
 * Reads and validates the text of a key file (no passphrase needed). Throws KEY_FILE_READ when it cannot be read,
 * and the parse errors of {@link parseKeyFileText}.
 */
export function readKeyFileContents(path: string): KeyFileContents {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw usageError('KEY_FILE_READ', `cannot read key file ${path}: ${fsErrorText(error)}`, error);
  }
  let bytes: Buffer;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw usageError('KEY_FILE_READ', `cannot read key file ${path}: not a regular file`);
    if (stat.size > MAX_KEY_FILE_BYTES) {
      throw usageError('KEY_FILE_CORRUPT', `${path}: ${stat.size} bytes is too large for a key file`);
    }
    bytes = Buffer.alloc(stat.size);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) break;
      got += n;
    }
    bytes = bytes.subarray(0, got);
  } finally {
    closeSync(fd);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw usageError('KEY_FILE_CORRUPT', `${path}: not a credline key file (not UTF-8 text)`);
  }
  return parseKeyFileText(text, path);
}

/**
 * Reads a key file's public header: kind, key id, label, creation time, KDF parameters and (station) public key.
 *
 * @example
 * readKeyFileHeader('line-3.ckey').keyId; // 'd9c183eb84616abf'
 */
export function readKeyFileHeader(path: string): KeyFileHeader {
  return readKeyFileContents(path).header;
}

/**
 * Opens a key file with its passphrase. Throws KEY_UNSEAL_FAILED for a wrong passphrase or an altered file,
 * KEY_ID_MISMATCH when the sealed secret is not the key the header names, and the errors of
 * {@link readKeyFileContents}.
 */
export async function openKeyFile(path: string, passphrase: string): Promise<OpenedKey> {
  const { header, sealed } = readKeyFileContents(path);
  const kek = await deriveKeyEncryptionKey(passphrase, header.kdf);
  let secret: Uint8Array;
  try {
    secret = unsealSecret(path, header, sealed, kek);
  } finally {
    kek.fill(0);
  }
  try {
    assertSecretMatches(path, header, secret);
  } catch (error) {
    secret.fill(0);
    throw error;
  }
  return { header, secret };
}

/**
 * Creates a sealed key file holding a fresh random secret (or `secret`, for an import), written atomically with
 * mode 0600. Throws KEY_FILE_EXISTS unless `force`, PASSPHRASE_TOO_SHORT, KEY_LABEL, KEY_KDF_PARAMS, KEY_OUT_DIR.
 */
export async function createKeyFile(path: string, options: CreateKeyFileOptions): Promise<KeyFileHeader> {
  const { kind } = options;
  if (!KEY_KINDS.includes(kind))
    throw usageError('KEY_KIND', `key kind must be "line", "station" or "order", got "${kind}"`);
  const label = options.label ?? '';
  const labelProblem = checkLabel(label);
  if (labelProblem !== undefined) throw usageError('KEY_LABEL', `the ${labelProblem}`);
  assertNewPassphrase(options.passphrase);
  if (options.secret !== undefined && options.secret.length !== SECRET_BYTES) {
    throw usageError(
      'KEY_SECRET_LENGTH',
      `a ${kind} key is ${SECRET_BYTES} bytes, got ${options.secret.length}`,
    );
  }
  const cost = { ...DEFAULT_SCRYPT_COST, ...options.kdf };
  assertScryptCost(cost, 'scrypt cost');
  const overwrite = options.force ?? false;
  assertWritableTarget(path, overwrite);

  const secret = options.secret ?? randomBytes(SECRET_BYTES);
  try {
    const identity = identifyKey(kind, secret);
    const header: KeyFileHeader = {
      format: KEY_FILE_FORMAT,
      version: KEY_FILE_VERSION,
      kind,
      keyId: identity.keyId,
      label,
      createdAt: new Date().toISOString(),
      ...(options.demo ? { demo: true as const } : {}),
      kdf: freshScryptParams(cost),
      ...(identity.publicKey === undefined ? {} : { publicKey: identity.publicKey }),
    };
    await writeSealedKeyFile(path, header, secret, options.passphrase, overwrite);
    return header;
  } finally {
    if (options.secret === undefined) secret.fill(0);
  }
}

/** scrypt parameters with a fresh random salt. */
export function freshScryptParams(cost: ScryptCost): ScryptParams {
  return { name: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: toHex(randomBytes(SALT_BYTES)) };
}

/**
 * Seals `secret` under `passphrase` with `header` (whose kdf carries a fresh salt) and writes the file atomically.
 * Shared by create, import and passwd.
 */
export async function writeSealedKeyFile(
  path: string,
  header: KeyFileHeader,
  secret: Uint8Array,
  passphrase: string,
  overwrite: boolean,
): Promise<void> {
  const kek = await deriveKeyEncryptionKey(passphrase, header.kdf);
  let text: string;
  try {
    text = formatKeyFileText(header, sealSecret(header, secret, kek));
  } finally {
    kek.fill(0);
  }
  writeFileAtomic(path, text, { overwrite });
}
