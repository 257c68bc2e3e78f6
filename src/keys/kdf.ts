/**
 * The key-encryption key (KEK) of a sealed key file: scrypt (RFC 7914) over the passphrase, with the parameters and
 * salt stored in the file header. Parameters are checked against a floor (files sealed too weakly are refused) and
 * caps (a hostile file must not make credline allocate gigabytes or run for minutes).
 */
import { scrypt, type ScryptOptions } from 'node:crypto';
import { utf8Bytes } from '../derive/index.js';
import { usageError } from '../errors/credline-error.js';

/** scrypt parameters as stored in a key file header; `salt` is lowercase hex. */
export interface ScryptParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
}

/** Cost parameters a caller may choose when sealing (the salt is always fresh and random). */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export const KEK_BYTES = 32;
export const SALT_BYTES = 16;
/** Default cost: N = 2^17, r = 8, p = 1 (128 MiB, about 1 s on a 2020s laptop core). */
export const DEFAULT_SCRYPT_COST: Readonly<ScryptCost> = { N: 2 ** 17, r: 8, p: 1 };

/** Floor and caps enforced on every file opened or written. */
export const SCRYPT_LIMITS = {
  minLogN: 17,
  maxLogN: 20,
  minR: 8,
  maxR: 32,
  minP: 1,
  maxP: 16,
  /** 128 * N * r: scrypt's working memory. */
  maxMemoryBytes: 2 ** 30,
  /** N * r * p: proportional to the time one unseal takes (2^24 is 16x the default). */
  maxWork: 2 ** 24,
} as const;

/**
 * Returns a description of what is wrong with the cost parameters, or undefined when they are within the floor and
 * caps. `where` names the file or option for the message.
 *
 * @example
 * checkScryptCost({ N: 1024, r: 8, p: 1 }); // 'kdf.N = 1024 is below the floor 2^17 (131072)'
 */
export function checkScryptCost(cost: ScryptCost): string | undefined {
  const { N, r, p } = cost;
  const L = SCRYPT_LIMITS;
  if (!Number.isSafeInteger(N) || N < 2 || (N & (N - 1)) !== 0) return `kdf.N = ${N} is not a power of two`;
  const logN = Math.log2(N);
  if (logN < L.minLogN) return `kdf.N = ${N} is below the floor 2^${L.minLogN} (${2 ** L.minLogN})`;
  if (logN > L.maxLogN) return `kdf.N = 2^${logN} is above the cap 2^${L.maxLogN}`;
  if (!Number.isSafeInteger(r) || r < L.minR || r > L.maxR)
    return `kdf.r = ${r} is outside ${L.minR}..${L.maxR}`;
  if (!Number.isSafeInteger(p) || p < L.minP || p > L.maxP)
    return `kdf.p = ${p} is outside ${L.minP}..${L.maxP}`;
  if (128 * N * r > L.maxMemoryBytes) return `kdf N = 2^${logN}, r = ${r} needs more than 1 GiB of memory`;
  if (N * r * p > L.maxWork) return `kdf N * r * p = ${N * r * p} is above the cap ${L.maxWork}`;
  return undefined;
}

/** Throws KEY_KDF_PARAMS (exit 2) when `cost` is outside the floor and caps. */
export function assertScryptCost(cost: ScryptCost, where: string): void {
  const problem = checkScryptCost(cost);
  if (problem !== undefined) throw usageError('KEY_KDF_PARAMS', `${where}: ${problem}; refusing it`);
}

/**
 * The passphrase as scrypt sees it: the UTF-8 bytes of its Unicode NFC form, so that the same passphrase typed on
 * two systems that compose accents differently opens the same file.
 */
export function passphraseBytes(passphrase: string): Uint8Array {
  return utf8Bytes(passphrase.normalize('NFC'));
}

/**
 * Derives the 32-byte KEK from a passphrase and the header's scrypt parameters. The caller zeroes the result.
 *
 * @example
 * const kek = await deriveKeyEncryptionKey('correct horse battery', header.kdf);
 */
export async function deriveKeyEncryptionKey(passphrase: string, kdf: ScryptParams): Promise<Uint8Array> {
  const password = passphraseBytes(passphrase);
  try {
    // OpenSSL's scrypt frees its 128 × N × r bytes as it returns; a JavaScript array would hold them until a GC.
    const kek = await scryptNative(password, Buffer.from(kdf.salt, 'hex'), KEK_BYTES, {
      N: kdf.N,
      r: kdf.r,
      p: kdf.p,
      maxmem: SCRYPT_LIMITS.maxMemoryBytes + 128 * kdf.r * (kdf.p + 1),
    });
    return new Uint8Array(kek.buffer, kek.byteOffset, kek.byteLength);
  } finally {
    password.fill(0);
  }
}

function scryptNative(
  password: Uint8Array,
  salt: Uint8Array,
  length: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
