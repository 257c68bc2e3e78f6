/**
 * The batch audit for an evidence pack, re-derived in memory with the line key: each PASS device's password is
 * derived again at its recorded attempt, checked against the recorded fingerprint, and the batch is audited
 * against every Schedule 1 para 1 rule (src/audit). No password, not even a masked one, leaves this module.
 */
import { runAudit, type AuditBatch, type AuditReport } from '../audit/index.js';
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
  devices: number;
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
): Promise<PackAudit> {
  const id = keyId(lineKey);
  const foreign = devices.find((d) => d.keyId !== id);
  if (foreign) {
    throw usageError(
      'PACK_KEY_MISMATCH',
      `the line key given has id ${id}, but serial ${foreign.serial} was provisioned under key ${foreign.keyId}`,
    );
  }
  const derive = createPasswordDeriver(lineKey, schemeParamsOf(profile));
  const fingerprint = createFingerprinter(lineKey);
  const batch: AuditBatch = { passwords: [], lines: [], identifiers: { serial: [] } };
  const serials = batch.identifiers['serial'] as string[];
  const fingerprintMismatches: string[] = [];
  devices.forEach((device, index) => {
    const password = derive(device.serial, device.attempt).password;
    if (password === null || fingerprint(password) !== device.fingerprint) {
      fingerprintMismatches.push(device.serial);
      return;
    }
    batch.passwords.push(password);
    batch.lines.push(index + 1);
    serials.push(device.serial);
  });
  // The audit's own per-row entropy threshold applies, not the profile's minEntropyBits: that one bounds the
  // scheme (length × log2 alphabet), while the audit estimates each row from the character classes it happens to
  // contain, so a random row without capitals would fail a 64-bit policy bound it actually meets.
  const report = await runAudit(batch, {
    minZxcvbnScore: profile.passwordPolicy.minZxcvbnScore,
    manufacturer: names.manufacturer ?? profile.product.manufacturer,
    brand: names.brand,
    model: names.model ?? profile.product.model,
  });
  batch.passwords.fill('');
  return {
    method: 're-derived',
    devices: devices.length,
    fingerprintMismatches,
    passed: report.passed && fingerprintMismatches.length === 0,
    report: withoutPasswords(report, devices),
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
