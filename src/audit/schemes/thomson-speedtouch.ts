/**
 * Thomson / SpeedTouch / BT Home Hub (Kevin Devine, 2008), reference §2.3: SHA-1 over "CP" + year + week + the hex
 * of the ASCII of the last three serial characters; the key is the first 5 digest bytes in upper-case hex and the
 * SSID suffix the last 3.
 */
import { sha1, type Identifiers, type KnownScheme } from './known-scheme.js';

/** `CP YY WW PP XXX (CC)`, separators allowed; PP and CC are dropped. */
const SERIAL = /^CP(\d\d)(\d\d)[0-9A-Z]{2}([0-9A-Z]{3})(?:[0-9A-Z]{2})?$/;

/**
 * The 12-character hash input of a serial, or null if it is not a Thomson serial.
 *
 * @example thomsonInput('CP0615JT109') // 'CP0615313039'
 */
export function thomsonInput(serial: string): string | null {
  const m = SERIAL.exec(serial.replace(/[\s()-]/g, '').toUpperCase());
  if (!m) return null;
  const tail = [...(m[3] ?? '')].map((ch) => ch.charCodeAt(0).toString(16).toUpperCase()).join('');
  return `CP${m[1]}${m[2]}${tail}`;
}

/** @example thomsonKey('CP0615313039') // { key: '742DA831D2', ssidSuffix: 'F8A3D0' } */
export function thomsonKey(input: string): { key: string; ssidSuffix: string } {
  const d = sha1(input);
  return {
    key: d.subarray(0, 5).toString('hex').toUpperCase(),
    ssidSuffix: d.subarray(17, 20).toString('hex').toUpperCase(),
  };
}

export const thomsonSpeedtouch: KnownScheme = {
  id: 'thomson-speedtouch',
  name: 'Thomson / SpeedTouch / BT Home Hub (reference §2.3)',
  candidates(ids: Identifiers) {
    const serial = ids['serial'] ?? '';
    const input = /^CP\d{10}$/i.test(serial.trim()) ? serial.trim().toUpperCase() : thomsonInput(serial);
    return input ? [thomsonKey(input).key] : [];
  },
};
