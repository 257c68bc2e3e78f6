/**
 * Fingerprint-based uniqueness for an evidence pack: without the line key no password can be re-derived, but equal
 * passwords have equal fingerprints under one line key (docs/derivation.md), so distinct fingerprints prove distinct
 * passwords. A fingerprint is keyed by the line key, so fingerprints under two keys cannot be compared: uniqueness is
 * judged per line key, and the report says so. Checks the pack's devices against each other and against every other
 * serial in the store under the same key.
 */
import type { EvidenceQueries } from '../evidence/index.js';

/** Uniqueness among the devices of one line key. */
export interface KeyUniqueness {
  keyId: string;
  devices: number;
  distinctFingerprints: number;
}

export interface UniquenessReport {
  method: 'fingerprint';
  /** Serials with a PASS in scope (the latest PASS of each counts). */
  devices: number;
  /** Distinct fingerprints within each key, summed over the keys. */
  distinctFingerprints: number;
  /** Per line key: fingerprints are compared only within a key. */
  byKey: KeyUniqueness[];
  /** The scope in words: `unique among 64 passwords under key 66c7…` (each key, when there are several). */
  scope: string;
  /** Fingerprint shared by more than one serial of one key in the pack: a defect. */
  sharedWithinPack: { keyId: string; fingerprint: string; serials: string[] }[];
  /** Fingerprint of a pack device also recorded, under the same key, for a serial outside the pack. */
  sharedWithOthers: { keyId: string; fingerprint: string; serial: string; otherSerials: string[] }[];
  passed: boolean;
}

export interface PassedDevice {
  serial: string;
  fingerprint: string;
  keyId: string;
}

/**
 * @example checkFingerprintUniqueness(devices, store.evidence).scope // 'unique among 64 passwords under key 66c7…'
 */
export function checkFingerprintUniqueness(
  devices: readonly PassedDevice[],
  evidence: Pick<EvidenceQueries, 'findFingerprint' | 'getEvent'>,
): UniquenessReport {
  const bySerial = new Map<string, PassedDevice>();
  for (const device of devices) {
    bySerial.delete(device.serial);
    bySerial.set(device.serial, device); // latest PASS wins
  }
  const byKey = new Map<string, Map<string, string[]>>(); // key id → fingerprint → serials
  for (const { serial, fingerprint, keyId } of bySerial.values()) {
    const fingerprints = byKey.get(keyId) ?? new Map<string, string[]>();
    fingerprints.set(fingerprint, [...(fingerprints.get(fingerprint) ?? []), serial]);
    byKey.set(keyId, fingerprints);
  }
  const sharedWithinPack = [...byKey].flatMap(([keyId, fingerprints]) =>
    [...fingerprints]
      .filter(([, serials]) => serials.length > 1)
      .map(([fingerprint, serials]) => ({ keyId, fingerprint, serials })),
  );
  const sharedWithOthers: UniquenessReport['sharedWithOthers'] = [];
  for (const { serial, fingerprint, keyId } of bySerial.values()) {
    const others = evidence
      .findFingerprint(fingerprint)
      .filter((r) => !bySerial.has(r.serial) && evidence.getEvent(r.seq)?.keyId === keyId)
      .map((r) => r.serial);
    if (others.length > 0) sharedWithOthers.push({ keyId, fingerprint, serial, otherSerials: others });
  }
  const perKey = [...byKey].map(([keyId, fingerprints]) => ({
    keyId,
    devices: [...fingerprints.values()].reduce((n, serials) => n + serials.length, 0),
    distinctFingerprints: fingerprints.size,
  }));
  return {
    method: 'fingerprint',
    devices: bySerial.size,
    distinctFingerprints: perKey.reduce((n, k) => n + k.distinctFingerprints, 0),
    byKey: perKey,
    scope: describeScope(perKey),
    sharedWithinPack,
    sharedWithOthers,
    passed: sharedWithinPack.length === 0 && sharedWithOthers.length === 0,
  };
}

function describeScope(perKey: readonly KeyUniqueness[]): string {
  const each = perKey.map(
    (k) =>
      `${k.distinctFingerprints === k.devices ? 'unique' : `${k.distinctFingerprints} distinct`} among ` +
      `${k.devices} passwords under key ${k.keyId}`,
  );
  if (each.length <= 1) return each[0] ?? 'no passwords';
  return (
    `${each.join('; ')}. Judged per line key: fingerprints under different keys cannot be compared (re-derive ` +
    'each key’s devices with its key to compare the passwords themselves)'
  );
}
