/**
 * A profile's identity patterns, as the station applies them to what a device reports: the whole value must match
 * (`^(?:pattern)$`). `credline derive --profile` applies the serial's pattern the same way, so a serial the station
 * would refuse is refused before a password is derived for it.
 */
import { printable } from '../errors/printable.js';
import type { IdentityField } from './profile-types.js';

/** A compiled pattern that matches a value in full. */
export function identityMatcher(field: IdentityField): RegExp {
  return new RegExp(`^(?:${field.pattern})$`);
}

/**
 * @example matchesIdentityPattern({ pattern: '[A-Z0-9-]{4,32}' }, 'KL2301-100001') // true
 */
export function matchesIdentityPattern(field: IdentityField, value: string): boolean {
  return identityMatcher(field).test(value);
}

/**
 * Why `value` is refused as the device's `key` (serial, mac, firmware), in the station's words, or null when it
 * matches: `serial "kl-1" does not match the profile's /[A-Z0-9-]{4,32}/`.
 */
export function identityMismatch(key: string, field: IdentityField, value: string): string | null {
  if (matchesIdentityPattern(field, value)) return null;
  return `${key} ${JSON.stringify(printable(value, 80))} does not match the profile's /${field.pattern}/`;
}
