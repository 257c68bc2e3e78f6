/**
 * The sealed key file as text: strict parsing (every field named, typed and bounded; unknown fields refused, since
 * nothing unauthenticated may ride along) and the one canonical way it is written. See docs/keystore.md.
 */
import { usageError } from '../errors/credline-error.js';
import { type ScryptParams, SALT_BYTES, checkScryptCost } from './kdf.js';
import { type KeyKind, KEY_KINDS, stationKeyId } from './key-identity.js';

export const KEY_FILE_FORMAT = 'credline-key';
export const KEY_FILE_VERSION = 1;
export const AEAD_NAME = 'xchacha20-poly1305';
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;
/** Larger files are refused unread: a valid file is well under 1 KiB. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;
export const MAX_LABEL_CHARS = 128;

/** The public, authenticated part of a key file. */
export interface KeyFileHeader {
  format: 'credline-key';
  version: 1;
  kind: KeyKind;
  /** 16 lowercase hex digits: keyId(secret) for a line key, SHA-256(publicKey) prefix for a station key. */
  keyId: string;
  label: string;
  /** ISO-8601 UTC with milliseconds, e.g. 2026-11-24T23:40:00.000Z. */
  createdAt: string;
  /** Set at creation (`keys create --demo`) on a key that must never provision real units; absent otherwise. */
  demo?: true;
  kdf: ScryptParams;
  /** Lowercase hex Ed25519 public key; station keys only. */
  publicKey?: string;
}

/** The sealed secret: XChaCha20-Poly1305 ciphertext (32 bytes) followed by its 16-byte tag. */
export interface SealedSecret {
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

export interface KeyFileContents {
  header: KeyFileHeader;
  sealed: SealedSecret;
}

const TOP_FIELDS = [
  'format',
  'version',
  'kind',
  'keyId',
  'label',
  'createdAt',
  'demo',
  'publicKey',
  'kdf',
  'sealed',
];
const KDF_FIELDS = ['name', 'N', 'r', 'p', 'salt'];
const SEALED_FIELDS = ['aead', 'nonce', 'ciphertext'];
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Returns what is wrong with a label, or undefined when it is acceptable (at most 128 characters, no control
 * characters).
 */
export function checkLabel(label: string): string | undefined {
  if ([...label].length > MAX_LABEL_CHARS) return `label is longer than ${MAX_LABEL_CHARS} characters`;
  if ([...label].some(isControlChar)) return 'label contains a control character';
  return undefined;
}

/**
 * Parses and validates key file text. Throws CredlineError (exit 2) with a one-line message naming the file and
 * the field: KEY_FILE_CORRUPT (empty, truncated, not JSON, missing or malformed field), KEY_FILE_FORMAT (not a
 * credline key file), KEY_FILE_VERSION (a version this credline does not read), KEY_FILE_KDF (scrypt parameters
 * below the floor or above the caps).
 *
 * @example
 * const { header, sealed } = parseKeyFileText(readFileSync(path, 'utf8'), path);
 */
export function parseKeyFileText(text: string, file: string): KeyFileContents {
  function corrupt(what: string): never {
    throw usageError('KEY_FILE_CORRUPT', `${file}: ${what}`);
  }
  const trimmed = text.trim();
  if (trimmed.length === 0) corrupt('the key file is empty');
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (endsInsideObject(trimmed)) corrupt(`the key file is truncated (${detail})`);
    corrupt(`the key file is not valid JSON (${detail})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw usageError('KEY_FILE_FORMAT', `${file}: not a credline key file (expected a JSON object)`);
  }
  const top = doc as Record<string, unknown>;
  if (top['format'] !== KEY_FILE_FORMAT) {
    const seen = Object.hasOwn(top, 'format')
      ? `format is ${JSON.stringify(top['format'])}`
      : 'no "format" field';
    throw usageError(
      'KEY_FILE_FORMAT',
      `${file}: not a credline key file (${seen}, expected "${KEY_FILE_FORMAT}")`,
    );
  }
  if (!Object.hasOwn(top, 'version')) corrupt('missing field "version"');
  if (top['version'] !== KEY_FILE_VERSION) {
    throw usageError(
      'KEY_FILE_VERSION',
      `${file}: key file version ${JSON.stringify(top['version'])} is not supported (this credline reads version ${KEY_FILE_VERSION})`,
    );
  }
  const fields = new FieldReader(file, top, '');
  fields.refuseUnknown(TOP_FIELDS);
  const kind = fields.oneOf('kind', KEY_KINDS);
  const keyId = fields.hex('keyId', 8);
  const label = fields.string('label');
  const labelProblem = checkLabel(label);
  if (labelProblem !== undefined) corrupt(`field "label": ${labelProblem}`);
  const createdAt = fields.string('createdAt');
  if (
    !ISO_UTC_MS.test(createdAt) ||
    Number.isNaN(Date.parse(createdAt)) ||
    new Date(createdAt).toISOString() !== createdAt
  ) {
    corrupt('field "createdAt": expected ISO-8601 UTC with milliseconds, e.g. 2026-01-31T12:00:00.000Z');
  }
  if (Object.hasOwn(top, 'demo') && top['demo'] !== true) {
    corrupt(`field "demo" must be true when present, got ${JSON.stringify(top['demo'])}`);
  }
  const demo = top['demo'] === true;
  let publicKey: string | undefined;
  if (kind !== 'line') {
    publicKey = fields.hex('publicKey', 32);
    if (stationKeyId(publicKey) !== keyId) corrupt('field "keyId" does not match "publicKey"');
  } else if (Object.hasOwn(top, 'publicKey')) {
    corrupt('field "publicKey" is only allowed in a station or order key file');
  }
  const kdfFields = fields.object('kdf');
  kdfFields.refuseUnknown(KDF_FIELDS);
  kdfFields.oneOf('name', ['scrypt']);
  const N = kdfFields.integer('N');
  const r = kdfFields.integer('r');
  const p = kdfFields.integer('p');
  const salt = kdfFields.hex('salt', SALT_BYTES, 64);
  const kdfProblem = checkScryptCost({ N, r, p });
  if (kdfProblem !== undefined) {
    throw usageError('KEY_FILE_KDF', `${file}: ${kdfProblem}; refusing to open it`);
  }
  const sealedFields = fields.object('sealed');
  sealedFields.refuseUnknown(SEALED_FIELDS);
  sealedFields.oneOf('aead', [AEAD_NAME]);
  const nonce = sealedFields.hex('nonce', NONCE_BYTES);
  const ciphertext = sealedFields.hex('ciphertext', 32 + TAG_BYTES);
  const header: KeyFileHeader = {
    format: KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION,
    kind,
    keyId,
    label,
    createdAt,
    ...(demo ? { demo: true as const } : {}),
    kdf: { name: 'scrypt', N, r, p, salt },
    ...(publicKey === undefined ? {} : { publicKey }),
  };
  return { header, sealed: { nonce: Buffer.from(nonce, 'hex'), ciphertext: Buffer.from(ciphertext, 'hex') } };
}

/**
 * Writes the canonical text of a key file: fixed field order, two-space indent, lowercase hex, trailing newline.
 */
export function formatKeyFileText(header: KeyFileHeader, sealed: SealedSecret): string {
  const doc = {
    format: header.format,
    version: header.version,
    kind: header.kind,
    keyId: header.keyId,
    label: header.label,
    createdAt: header.createdAt,
    ...(header.demo ? { demo: true } : {}),
    ...(header.publicKey === undefined ? {} : { publicKey: header.publicKey }),
    kdf: { name: header.kdf.name, N: header.kdf.N, r: header.kdf.r, p: header.kdf.p, salt: header.kdf.salt },
    sealed: {
      aead: AEAD_NAME,
      nonce: Buffer.from(sealed.nonce).toString('hex'),
      ciphertext: Buffer.from(sealed.ciphertext).toString('hex'),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Reads typed fields of one JSON object, naming the JSON path in every error. */
class FieldReader {
  constructor(
    private readonly file: string,
    private readonly obj: Record<string, unknown>,
    private readonly path: string,
  ) {}

  private fail(name: string, what: string): never {
    throw usageError('KEY_FILE_CORRUPT', `${this.file}: field "${this.path}${name}" ${what}`);
  }

  private get(name: string): unknown {
    if (!Object.hasOwn(this.obj, name)) {
      throw usageError('KEY_FILE_CORRUPT', `${this.file}: missing field "${this.path}${name}"`);
    }
    return this.obj[name];
  }

  refuseUnknown(known: readonly string[]): void {
    for (const name of Object.keys(this.obj)) {
      if (!known.includes(name)) {
        throw usageError('KEY_FILE_CORRUPT', `${this.file}: unexpected field "${this.path}${name}"`);
      }
    }
  }

  string(name: string): string {
    const value = this.get(name);
    if (typeof value !== 'string') this.fail(name, `must be a string, got ${typeOf(value)}`);
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.string(name);
    if (!(allowed as readonly string[]).includes(value)) {
      this.fail(name, `must be ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${JSON.stringify(value)}`);
    }
    return value as T;
  }

  integer(name: string): number {
    const value = this.get(name);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.fail(name, `must be an integer, got ${typeOf(value)}`);
    }
    return value;
  }

  /** Lowercase hex of exactly `minBytes` bytes, or of `minBytes..maxBytes` bytes. */
  hex(name: string, minBytes: number, maxBytes = minBytes): string {
    const value = this.string(name);
    const bytes = value.length / 2;
    const size = minBytes === maxBytes ? `${minBytes * 2}` : `${minBytes * 2} to ${maxBytes * 2}`;
    if (!/^(?:[0-9a-f]{2})*$/.test(value) || bytes < minBytes || bytes > maxBytes) {
      this.fail(name, `must be ${size} lowercase hex digits, got ${value.length} characters`);
    }
    return value;
  }

  object(name: string): FieldReader {
    const value = this.get(name);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(name, `must be an object, got ${typeOf(value)}`);
    }
    return new FieldReader(this.file, value as Record<string, unknown>, `${this.path}${name}.`);
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 20))}` : typeof value;
}

/**
 * C0 and C1 controls, DEL, the Unicode line/paragraph separators and the bidirectional overrides and isolates: a
 * label is printed on terminals and in reports, where these could hide or reorder text.
 */
function isControlChar(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/** True when JSON text stops before its outermost object closes (so "truncated" is the likely story). */
function endsInsideObject(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return text.startsWith('{') && (depth > 0 || inString);
}
