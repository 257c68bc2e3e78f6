/**
 * The forms in which a device identifier can hide in a password: case-folded and separator-free text, reversed,
 * and hex/decimal re-renderings of its numbers (fragment matching); and the byte strings an unkeyed hash of it is
 * commonly taken over (hash-window matching).
 */

/** What the policy and the auditor know about one device. Any other named identifier may be added. */
export interface DeviceIdentity {
  serial: string;
  mac?: string;
  imei?: string;
  ssid?: string;
  [name: string]: string | undefined;
}

const SEPARATORS = /[^0-9a-z]/g;
const MIN_FORM_LENGTH = 3;

/** The 6 bytes of a MAC written as 12 hex digits with or without `:`/`-`/`.`/space separators, else null. */
export function parseMac(text: string): Uint8Array | null {
  if (text.length < 12 || text.length > 40) return null;
  const out = new Uint8Array(6);
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let v: number;
    if (c >= 0x30 && c <= 0x39) v = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) v = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) v = c - 0x37;
    else if (c === 0x3a || c === 0x2d || c === 0x2e || c === 0x20 || c === 0x09) continue;
    else return null;
    if (digits >= 12) return null;
    const k = digits >> 1;
    out[k] = ((out[k] ?? 0) << 4) | v;
    digits++;
  }
  return digits === 12 ? out : null;
}

function macOffset(mac: Uint8Array, delta: number): Uint8Array {
  let value = 0n;
  for (const b of mac) value = (value << 8n) | BigInt(b);
  value = (value + BigInt(delta)) & 0xffffffffffffn;
  const out = new Uint8Array(6);
  for (let i = 5; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function reversed(text: string): string {
  return [...text].reverse().join('');
}

/**
 * Lower-case, separator-free forms of every identifier, their reversals, and number re-renderings (a MAC as a
 * 48-bit decimal and its last 3 and 2 bytes in decimal; each decimal run of 4+ digits in hex). Each form has at least
 * 3 characters; duplicates are dropped. Without `includeReversed`, reversals are left to the matcher
 * ({@link FragmentMatcher} matches both directions).
 *
 * @example fragmentForms({ serial: 'KL-100001', mac: '00:12:bf:91:0b:ec' }) // ['kl100001', '100001lk', '186a1', ...]
 */
export function fragmentForms(identity: DeviceIdentity, includeReversed = true): string[] {
  const forms: string[] = [];
  for (const value of Object.values(identity)) if (value !== undefined) appendFragmentForms(value, forms);
  const unique = new Set(forms);
  if (includeReversed) for (const form of forms) unique.add(reversed(form));
  return [...unique];
}

/** Appends one identifier value's forward forms to `out` (duplicates possible): the audit's allocation-light path. */
export function appendFragmentForms(value: string, out: string[]): void {
  const add = (form: string): void => {
    if (form.length >= MIN_FORM_LENGTH) out.push(form);
  };
  const folded = value.toLowerCase().replace(SEPARATORS, '');
  add(folded);
  if (/\d{4}/.test(folded)) {
    for (const run of folded.match(/\d{4,}/g) ?? []) {
      if (run.length <= 15) add(Number(run).toString(16));
      else if (run.length <= 30) add(BigInt(run).toString(16));
    }
  }
  const mac = parseMac(value);
  if (mac) {
    const n =
      ((((mac[0] ?? 0) * 256 + (mac[1] ?? 0)) * 256 + (mac[2] ?? 0)) * 256 + (mac[3] ?? 0)) * 65536 +
      (mac[4] ?? 0) * 256 +
      (mac[5] ?? 0); // 48 bits: exact in a double
    add(String(n));
    add(String(n % 0x1000000));
    add(String(n % 0x10000).padStart(5, '0'));
  }
}

/** One way of turning an identifier into the bytes an unkeyed hash is taken over. */
export interface HashInputForm {
  /** Stable id, e.g. `mac-hex-upper+nul`, `upper`, `mac+1-hex-lower`. */
  id: string;
  bytes: Uint8Array;
}

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const withNul = (bytes: Uint8Array): Uint8Array => {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
};

/** MAC offsets tried for hashes: the BSSID of a radio is often the base MAC plus a small number. */
const MAC_OFFSETS = [-4, -3, -2, -1, 1, 2, 3, 4];

/**
 * The common normalisations of one identifier value as hash inputs: as given, trimmed, upper/lower case,
 * separators removed, reversed; a MAC also as 12 hex digits (either case), colon- and dash-separated, 6 raw bytes,
 * and ±1..4; the main text forms also with a trailing NUL (C code that hashes `strlen + 1` bytes).
 *
 * @example hashInputForms('00:12:bf:91:0b:ec').map((f) => f.id) // ['asis', 'asis+nul', ..., 'mac-raw', ...]
 */
export function hashInputForms(value: string): HashInputForm[] {
  const forms: HashInputForm[] = [];
  const text = (id: string, s: string, nul = false): void => {
    forms.push({ id, bytes: utf8(s) });
    if (nul) forms.push({ id: `${id}+nul`, bytes: withNul(utf8(s)) });
  };
  const trimmed = value.trim();
  const stripped = trimmed.replace(/[\s:.\-_/]/g, '');
  text('asis', value, true);
  if (trimmed !== value) text('trim', trimmed);
  text('upper', trimmed.toUpperCase(), true);
  text('lower', trimmed.toLowerCase(), true);
  if (stripped !== trimmed) {
    text('strip', stripped);
    text('strip-upper', stripped.toUpperCase());
    text('strip-lower', stripped.toLowerCase());
  }
  text('reversed', reversed(trimmed));
  const mac = parseMac(value);
  if (mac) {
    const hex = hexOf(mac);
    text('mac-hex-lower', hex, true);
    text('mac-hex-upper', hex.toUpperCase(), true);
    const pairs = hex.match(/../g) ?? [];
    text('mac-colon-lower', pairs.join(':'));
    text('mac-colon-upper', pairs.join(':').toUpperCase());
    text('mac-dash-upper', pairs.join('-').toUpperCase());
    forms.push({ id: 'mac-raw', bytes: mac });
    for (const delta of MAC_OFFSETS) {
      const sign = delta > 0 ? `+${delta}` : String(delta);
      const shifted = hexOf(macOffset(mac, delta));
      text(`mac${sign}-hex-lower`, shifted);
      text(`mac${sign}-hex-upper`, shifted.toUpperCase());
    }
  }
  return forms;
}

/** The bytes of one named normalisation of a value, or null when it does not apply (e.g. a MAC form of a serial). */
export function hashInputForm(value: string, id: string): Uint8Array | null {
  return hashInputForms(value).find((form) => form.id === id)?.bytes ?? null;
}
