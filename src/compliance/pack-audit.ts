/**
 * The batch audit for an evidence pack, re-derived in memory with the line key: each PASS device provisioned under
 * that key has its password derived again at its recorded attempt, checked against the recorded fingerprint, and
 * those passwords are audited against every Schedule 1 para 1 rule (src/audit). Devices of the batch under another
 * key (a batch from before batch terms may mix keys) are counted per key, not audited: the report says so. No password, not even a masked one, leaves this module.
 */
import { runAudit, type AuditBatch, type AuditProgress, type AuditReport } from '../audit/index.js';
import { createFingerprinter, keyId, type LineKey, createPasswordDeriver } from '../derive/index.js';
import { usageError } from '../errors/credline-error.js';
import { schemeParamsOf, type DeviceProfile } from '../profiles/index.js';

export interface RecordedDevice {
  serial: string;
  attempt: number;
  fingerprint: string;
  keyId: string;
}

export interface PackAudit {
  method: 're-derived';
  /** The line key re-derived with: only its devices are audited. */
  keyId: string;
  devices: number;
  /** Devices of the batch under other line keys, per key: not re-derived, so not audited here. */
  notReDerived: { keyId: string; devices: number }[];
  /** Serials whose re-derived password does not match the recorded fingerprint (a defect, or the wrong key). */
  fingerprintMismatches: string[];
  passed: boolean;
  /** The audit report without any password: examples keep their row and note only. */
  report: Record<string, unknown>;
}

/**
 * @example const audit = await auditRecordedBatch(lineKey, profile, devices, { manufacturer: 'Acme' });
 */
export async function auditRecordedBatch(
  lineKey: LineKey | Uint8Array,
  profile: DeviceProfile,
  devices: readonly RecordedDevice[],
  names: { manufacturer?: string; brand?: string; model?: string },
  progress?: AuditProgress,
): Promise<PackAudit> {
  const id = keyId(lineKey);
  const own = devices.filter((d) => d.keyId === id);
  const foreign = devices.find((d) => d.keyId !== id);
  if (foreign && own.length === 0) {
    throw usageError(
      'PACK_KEY_MISMATCH',
      `the line key given has id ${id}, but serial ${foreign.serial} was provisioned under key ${foreign.keyId}`,
    );
  }
  const notReDerived = new Map<string, number>();
  for (const d of devices)
    if (d.keyId !== id) notReDerived.set(d.keyId, (notReDerived.get(d.keyId) ?? 0) + 1);
  const derive = createPasswordDeriver(lineKey, schemeParamsOf(profile));
  const fingerprint = createFingerprinter(lineKey);
  const batch: AuditBatch = { passwords: [], lines: [], identifiers: { serial: [] }, keys: new Map() };
  const serials = batch.identifiers['serial'] as string[];
  const fingerprintMismatches: string[] = [];
  own.forEach((device, index) => {
    const password = derive(device.serial, device.attempt).password;
    if (password === null || fingerprint(password) !== device.fingerprint) {
      fingerprintMismatches.push(device.serial);
      return;
    }
    batch.passwords.push(password);
    batch.lines.push(index + 1);
    serials.push(device.serial);
  });
  batch.keys?.set(id, batch.passwords.length);
  // The audit's own per-row entropy threshold applies, not the profile's minEntropyBits: that one bounds the
  // scheme (length × log2 alphabet), while the audit estimates each row from the character classes it happens to
  // contain, so a random row without capitals would fail a 64-bit policy bound it actually meets.
  const report = await runAudit(
    batch,
    {
      minZxcvbnScore: profile.passwordPolicy.minZxcvbnScore,
      manufacturer: names.manufacturer ?? profile.product.manufacturer,
      brand: names.brand,
      model: names.model ?? profile.product.model,
    },
    progress,
  );
  batch.passwords.fill('');
  return {
    method: 're-derived',
    keyId: id,
    devices: own.length,
    notReDerived: [...notReDerived].map(([key, n]) => ({ keyId: key, devices: n })),
    fingerprintMismatches,
    passed: report.passed && fingerprintMismatches.length === 0,
    report: withoutPasswords(report, own),
  };
}

/**
 * The report with nothing from which a password could be read back: examples lose the (masked) password, and the
 * per-position symbol counts and the symbols-seen list go (in a small batch they spell the passwords out).
 */
function withoutPasswords(report: AuditReport, devices: readonly RecordedDevice[]): Record<string, unknown> {
  const { positions, charset, ...stats } = report.stats;
  return {
    passed: report.passed,
    rules: report.rules.map((rule) => ({
      id: rule.id,
      title: rule.title,
      law: rule.law,
      status: rule.status,
      violations: rule.violations,
      examples: rule.examples.map((e) => ({ serial: devices[e.line - 1]?.serial ?? null, note: e.note })),
      findings: rule.findings,
    })),
    stats: {
      ...stats,
      charset: { classes: charset.classes, symbols: charset.symbols },
      positions: positions && {
        length: positions.length,
        rows: positions.rows,
        entropyBits: positions.entropyBits,
        chiSquare: positions.chiSquare,
        degreesOfFreedom: positions.degreesOfFreedom,
        worstPValue: positions.worstPValue,
      },
    },
    scoring: report.scoring,
  };
}
