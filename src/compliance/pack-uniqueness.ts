/**
 * Fingerprint-based uniqueness for an evidence pack: without the line key no password can be re-derived, but equal
 * passwords have equal fingerprints (docs/derivation.md), so distinct fingerprints prove distinct passwords. Checks
 * the pack's devices against each other and against every other serial in the store.
 */
import type { EvidenceQueries } from '../evidence/index.js';

export interface UniquenessReport {
  method: 'fingerprint';
  /** Serials with a PASS in scope (the latest PASS of each counts). */
  devices: number;
  distinctFingerprints: number;
  /** Fingerprint shared by more than one serial in the pack: a defect. */
  sharedWithinPack: { fingerprint: string; serials: string[] }[];
  /** Fingerprint of a pack device also recorded for a serial outside the pack. */
  sharedWithOthers: { fingerprint: string; serial: string; otherSerials: string[] }[];
  passed: boolean;
}

export interface PassedDevice {
  serial: string;
  fingerprint: string;
}

/**
 * @example checkFingerprintUniqueness(devices, store.evidence).passed
 */
export function checkFingerprintUniqueness(
  devices: readonly PassedDevice[],
  evidence: Pick<EvidenceQueries, 'findFingerprint'>,
): UniquenessReport {
  const bySerial = new Map<string, string>();
  for (const device of devices) bySerial.set(device.serial, device.fingerprint); // latest PASS wins
  const byFingerprint = new Map<string, string[]>();
  for (const [serial, fp] of bySerial) byFingerprint.set(fp, [...(byFingerprint.get(fp) ?? []), serial]);
  const sharedWithinPack = [...byFingerprint]
    .filter(([, serials]) => serials.length > 1)
    .map(([fingerprint, serials]) => ({ fingerprint, serials }));
  const inPack = new Set(bySerial.keys());
  const sharedWithOthers: UniquenessReport['sharedWithOthers'] = [];
  for (const [serial, fingerprint] of bySerial) {
    const others = evidence
      .findFingerprint(fingerprint)
      .map((r) => r.serial)
      .filter((s) => !inPack.has(s));
    if (others.length > 0) sharedWithOthers.push({ fingerprint, serial, otherSerials: others });
  }
  return {
    method: 'fingerprint',
    devices: bySerial.size,
    distinctFingerprints: byFingerprint.size,
    sharedWithinPack,
    sharedWithOthers,
    passed: sharedWithinPack.length === 0 && sharedWithOthers.length === 0,
  };
}
