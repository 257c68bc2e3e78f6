import { usageError } from '../errors/credline-error.js';

/** How a profile canonicalises a serial before derivation (DESIGN.md, scheme v1). */
export type SerialCase = 'asis' | 'upper';

export const MAX_SERIAL_BYTES = 128;

// ASCII white space stripped at both ends: space, tab, LF, VT, FF, CR.
const EDGE_WHITESPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;
const LONE_SURROGATE = /\p{Cs}/u;
const PROFILE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The serial with ASCII white space stripped at both ends (the first step of canonicalisation). */
export function trimSerial(raw: string): string {
  return raw.replace(EDGE_WHITESPACE, '');
}

/**
 * Canonicalises a serial as scheme v1 specifies: strip ASCII white space at both ends, Unicode NFC, then
 * `asis` or `upper` (ASCII a-z only, locale-independent). Refuses an empty serial, one over 128 UTF-8 bytes, and
 * one containing a control or format character (Cc, Cf), a lone surrogate or a NUL.
 *
 * @example canonicaliseSerial('  kl2301-100001\r\n', 'upper') // 'KL2301-100001'
 */
export function canonicaliseSerial(raw: string, serialCase: SerialCase = 'asis'): string {
  if (LONE_SURROGATE.test(raw))
    throw usageError('SERIAL_INVALID', 'serial contains a lone surrogate (invalid UTF-16)');
  let serial = trimSerial(raw).normalize('NFC');
  if (serialCase === 'upper') serial = serial.replace(/[a-z]+/g, (m) => m.toUpperCase());
  if (serial.length === 0) throw usageError('SERIAL_INVALID', 'serial is empty');
  const bad = CONTROL_OR_FORMAT.exec(serial);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw usageError(
      'SERIAL_INVALID',
      `serial contains a control or format character U+${code.toString(16).toUpperCase().padStart(4, '0')} at index ${bad.index}`,
    );
  }
  const bytes = Buffer.byteLength(serial, 'utf8');
  if (bytes > MAX_SERIAL_BYTES) {
    throw usageError(
      'SERIAL_INVALID',
      `serial is ${bytes} bytes in UTF-8; at most ${MAX_SERIAL_BYTES} are allowed`,
    );
  }
  return serial;
}

export function assertProfileId(profileId: string): void {
  if (!PROFILE_ID.test(profileId)) {
    throw usageError(
      'PROFILE_ID_INVALID',
      `profile id ${JSON.stringify(profileId.slice(0, 80))} must match [a-z0-9][a-z0-9._-]{0,63}`,
    );
  }
}
