/**
 * The shape of a device profile after loading: the JSON file (device-profiles/device-profile.schema.json) with
 * defaults filled in and the alphabet resolved. Profiles are reviewable data; nothing here does I/O.
 */
import type { CryptSpec } from '../crypt/index.js';
import type { SerialCase } from '../derive/index.js';

export type LineEnding = 'lf' | 'crlf' | 'cr';

export interface SerialPortSettings {
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
  lineEnding: LineEnding;
}

export interface IdentityField {
  /** Regex the raw value read from the device must match in full. */
  pattern: string;
}

export interface PasswordPolicySpec {
  /** The alphabet as written in the profile (a name or the symbols). */
  alphabetSpec: string;
  /** The resolved symbols, in order. */
  alphabet: string;
  length: number;
  minEntropyBits: number;
  minZxcvbnScore: 0 | 1 | 2 | 3 | 4;
}

export type StoreSpec =
  | { kind: 'plaintext'; why: string }
  | { kind: 'pbkdf2-sha256'; iterations: number; saltBytes: number }
  | CryptSpec;

export interface ConsoleSpec {
  /** Characters the console gives a meaning to (space and tab always count). */
  interprets: string;
  quoting: 'none' | 'single';
}

export interface DialogueStep {
  /** Line to send; may use {{serial}}, {{nonce}}, {{value}}, {{challenge}}, {{result}}, {{reason}}. */
  send: string;
  /** Regex a reply line must match; absent only when the console has a prompt (the prompt then ends the step). */
  expect?: string;
  fail?: string;
  failReason?: string;
  timeoutMs: number;
  retries: number;
  /** Regex of an unterminated line (e.g. `Password: `) that ends this step instead of the console's prompt. */
  prompt?: string;
}

export interface VerifyStep extends DialogueStep {
  expect: string;
  readback: { capture: string; compare: 'stored' | 'sha256-challenge' };
}

export interface DialogueSpec {
  echo: boolean;
  prompt?: string;
  pollMs: number;
  identify: DialogueStep[];
  write: DialogueStep[];
  verify: VerifyStep;
  commit: DialogueStep[];
  /** Proof that the device accepts the password itself (e.g. `login` on its console); may send {{password}}. */
  loginCheck: DialogueStep[];
  lock: DialogueStep[];
  /**
   * Writes the serial the station assigns to a unit that arrived blank (its identify step captured an empty
   * serial), before the password; absent when units always arrive with their serial.
   */
  assignSerial?: DialogueStep[];
  /** Best-effort last line telling the unit (and its operator) the result; failures are ignored. */
  report?: { send: string; timeoutMs: number };
}

export interface DeviceProfile {
  schemaVersion: 1;
  id: string;
  revision: number;
  description?: string;
  product: { manufacturer: string; model: string; type: string };
  serialPort: SerialPortSettings;
  identity: { serial: IdentityField; mac?: IdentityField; firmware?: IdentityField };
  canonicalisation: { serialCase: SerialCase };
  passwordPolicy: PasswordPolicySpec;
  store: StoreSpec;
  console: ConsoleSpec;
  dialogue: DialogueSpec;
}

/** A profile together with where it came from and its canonical hash (recorded with the evidence). */
export interface LoadedProfile {
  profile: DeviceProfile;
  /** The file it was read from, or a label for in-memory profiles. */
  source: string;
  /** Lowercase hex SHA-256 of the canonical JSON (sorted keys, no white space, `$schema` left out). */
  hash: string;
}
