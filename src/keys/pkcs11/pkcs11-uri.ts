/**
 * PKCS#11 URIs (RFC 7512) naming a line key in a token, e.g. `pkcs11:token=line3;object=line-key`. Path attributes
 * select the token and the object (section 2.3); of the query attributes, `module-path` names the PKCS#11 library
 * and `pin-source` a file holding the PIN. A PIN in the URI itself (`pin-value`) is refused: it would end up in
 * shell histories and process lists.
 */
import { usageError } from '../../errors/credline-error.js';

export interface Pkcs11Uri {
  /** CKA_LABEL of the token (its `label` in CK_TOKEN_INFO). */
  token?: string;
  manufacturer?: string;
  model?: string;
  serial?: string;
  slotId?: number;
  /** CKA_LABEL of the key object. */
  object?: string;
  /** CKA_ID of the key object. */
  id?: Uint8Array;
  /** The PKCS#11 module (shared library) to load. */
  modulePath?: string;
  /** A file holding the PIN (`pin-source=file:/path` or a plain path). */
  pinFile?: string;
}

const PATH_ATTRIBUTES = ['token', 'manufacturer', 'model', 'serial', 'slot-id', 'object', 'id', 'type'];
const QUERY_ATTRIBUTES = ['module-path', 'pin-source', 'pin-value', 'module-name'];

/** True when `text` is a PKCS#11 URI rather than a key file's path. */
export function isPkcs11Uri(text: string): boolean {
  return /^pkcs11:/i.test(text);
}

/** RFC 3986 percent-decoding to UTF-8; a malformed escape is an error naming the attribute. */
function decode(value: string, name: string, uri: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch === '%') {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw uriError(uri, `"${name}" has a malformed %-escape`);
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return Uint8Array.from(bytes);
}

function decodeText(value: string, name: string, uri: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(decode(value, name, uri));
  } catch (error) {
    if (error instanceof TypeError) throw uriError(uri, `"${name}" is not UTF-8 once decoded`);
    throw error;
  }
}

function uriError(uri: string, problem: string): Error {
  return usageError('PKCS11_URI', `PKCS#11 URI ${redact(uri)}: ${problem}`);
}

/** The URI as it may be shown: any pin-value replaced. */
export function redact(uri: string): string {
  return uri.replace(/([?&]pin-value=)[^&]*/gi, '$1…');
}

/**
 * Parses a PKCS#11 URI. Throws PKCS11_URI naming the attribute at fault.
 *
 * @example
 * parsePkcs11Uri('pkcs11:token=line3;object=line-key'); // { token: 'line3', object: 'line-key' }
 */
export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (!isPkcs11Uri(uri)) throw uriError(uri, 'expected it to start with "pkcs11:"');
  const rest = uri.slice('pkcs11:'.length);
  const queryAt = rest.indexOf('?');
  const path = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const query = queryAt < 0 ? '' : rest.slice(queryAt + 1);
  const result: Pkcs11Uri = {};
  const seen = new Set<string>();
  const pairs = [
    ...split(path, ';').map((p) => ({ p, known: PATH_ATTRIBUTES, where: 'path' })),
    ...split(query, '&').map((p) => ({ p, known: QUERY_ATTRIBUTES, where: 'query' })),
  ];
  for (const { p, known, where } of pairs) {
    const eq = p.indexOf('=');
    if (eq < 1) throw uriError(uri, `"${p}" is not name=value`);
    const name = p.slice(0, eq).toLowerCase();
    const value = p.slice(eq + 1);
    if (!known.includes(name)) {
      throw uriError(uri, `unknown ${where} attribute "${name}" (credline knows ${known.join(', ')})`);
    }
    if (seen.has(name)) throw uriError(uri, `"${name}" is given twice`);
    seen.add(name);
    assign(result, name, value, uri);
  }
  if (result.object === undefined && result.id === undefined) {
    throw uriError(uri, 'name the key with object=LABEL or id=%xx…');
  }
  return result;
}

function split(text: string, separator: string): string[] {
  return text === '' ? [] : text.split(separator);
}

function assign(result: Pkcs11Uri, name: string, value: string, uri: string): void {
  switch (name) {
    case 'token':
    case 'manufacturer':
    case 'model':
    case 'serial':
    case 'object':
      result[name] = decodeText(value, name, uri);
      return;
    case 'slot-id': {
      const text = decodeText(value, name, uri);
      if (!/^\d{1,10}$/.test(text)) throw uriError(uri, `"slot-id" expected a decimal number, got "${text}"`);
      result.slotId = Number(text);
      return;
    }
    case 'id':
      result.id = decode(value, name, uri);
      return;
    case 'type': {
      const type = decodeText(value, name, uri);
      if (type !== 'secret-key') throw uriError(uri, `a line key is type=secret-key, got type=${type}`);
      return;
    }
    case 'module-path':
      result.modulePath = decodeText(value, name, uri);
      return;
    case 'pin-source': {
      const source = decodeText(value, name, uri);
      result.pinFile = source.startsWith('file:') ? source.slice('file:'.length) : source;
      return;
    }
    case 'pin-value':
      throw uriError(
        uri,
        'a PIN in the URI is refused (it would show in process lists): use --pin-env or --pin-file',
      );
    default:
      throw uriError(
        uri,
        '"module-name" is not supported: give the library with module-path or --pkcs11-module',
      );
  }
}

/** Percent-encodes a path attribute value (RFC 7512 section 2.3: pchar minus ';'). */
function encode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~:[\]@!$'()*+,=&]/.test(String.fromCharCode(b)) && b < 0x80
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

/**
 * The URI naming one key on one token.
 *
 * @example
 * formatPkcs11Uri({ token: 'line 3', object: 'line-key' }); // 'pkcs11:token=line%203;object=line-key'
 */
export function formatPkcs11Uri(at: { token: string; object: string }): string {
  return `pkcs11:token=${encode(at.token)};object=${encode(at.object)}`;
}
