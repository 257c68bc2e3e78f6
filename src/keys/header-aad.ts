/**
 * The canonical bytes of a key file header, used as the AEAD associated data: any change to any header field
 * (kind, key id, label, creation time, public key, scrypt parameters or salt) makes the file fail to unseal.
 *
 * Encoding (docs/keystore.md, "Associated data"): the ASCII bytes `credline-key/v1`, a zero byte, then for each
 * field in the fixed order below, u32be(length of name) || name || u32be(length of value) || value, where names and
 * values are UTF-8, integers are written in decimal ASCII, and an absent publicKey is the empty string. A demo key
 * adds the field `demo` = `true` at the end; a file without it (every file from before the flag) encodes as before,
 * so old files still open and the flag can be neither added nor removed without the passphrase.
 */
import { concatBytes, uint32be, utf8Bytes } from '../derive/index.js';
import type { KeyFileHeader } from './key-file-format.js';

export const AAD_DOMAIN = 'credline-key/v1';

/** The header fields in the order they are encoded, with their text values. */
export function headerAadFields(header: KeyFileHeader): Array<[string, string]> {
  return [
    ['format', header.format],
    ['version', String(header.version)],
    ['kind', header.kind],
    ['keyId', header.keyId],
    ['label', header.label],
    ['createdAt', header.createdAt],
    ['publicKey', header.publicKey ?? ''],
    ['kdf.name', header.kdf.name],
    ['kdf.N', String(header.kdf.N)],
    ['kdf.r', String(header.kdf.r)],
    ['kdf.p', String(header.kdf.p)],
    ['kdf.salt', header.kdf.salt],
    ...(header.demo ? [['demo', 'true'] as [string, string]] : []),
  ];
}

/**
 * Encodes the header as associated data.
 *
 * @example
 * const aad = encodeHeaderAad(header); // starts with 'credline-key/v1\0', then 00 00 00 06 'format' ...
 */
export function encodeHeaderAad(header: KeyFileHeader): Uint8Array {
  const parts: Uint8Array[] = [utf8Bytes(AAD_DOMAIN), new Uint8Array(1)];
  for (const [name, value] of headerAadFields(header)) {
    const nameBytes = utf8Bytes(name);
    const valueBytes = utf8Bytes(value);
    parts.push(uint32be(nameBytes.length), nameBytes, uint32be(valueBytes.length), valueBytes);
  }
  return concatBytes(...parts);
}
