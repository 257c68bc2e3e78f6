/**
 * The batch credline would generate for a file of serials, built in memory only, so a security engineer can audit
 * a line key and profile before any device is touched: attempt 0 of scheme v1, or, given the policy, the attempt
 * the station would choose (choosePassword: about 1 ms a serial).
 */
import { readFileSync } from 'node:fs';
import type { LineKey } from '../derive/line-key.js';
import { createPasswordDeriver, type SchemeParams } from '../derive/password.js';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { choosePassword } from '../policy/choose-password.js';
import type { PasswordPolicy } from '../policy/password-policy.js';
import type { AuditBatch } from './audit-types.js';

export interface DerivedBatch {
  batch: AuditBatch;
  malformed: { line: number; message: string }[];
}

/**
 * Reads serials (one per line; BOM, CRLF and blank lines allowed) and derives each one's password: attempt 0, or
 * the first attempt `policy` accepts.
 */
export function deriveBatchFromSerials(
  key: LineKey | Uint8Array,
  params: SchemeParams,
  serialsPath: string,
  policy: PasswordPolicy | null = null,
): DerivedBatch {
  let text: string;
  try {
    text = readFileSync(serialsPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw usageError('AUDIT_INPUT', `cannot read serials file ${serialsPath}: ${code}`, error);
  }
  const derive = createPasswordDeriver(key, params);
  const batch: AuditBatch = { passwords: [], lines: [], identifiers: { serial: [] } };
  const malformed: { line: number; message: string }[] = [];
  const serials = batch.identifiers['serial'] ?? [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      if (raw.trim().length === 0) return;
      try {
        const derivation = policy ? choosePassword(derive, policy, { serial: raw }) : derive(raw, 0);
        if (derivation.password === null) {
          const why = policy ? 'every attempt was rejected by the policy' : 'stream exhausted at attempt 0';
          malformed.push({ line: index + 1, message: why });
          return;
        }
        batch.passwords.push(derivation.password);
        batch.lines.push(index + 1);
        serials.push(derivation.serial);
      } catch (error) {
        if (!(error instanceof CredlineError) || error.exitCode === ExitCode.transport) throw error;
        malformed.push({ line: index + 1, message: error.message });
      }
    });
  return { batch, malformed };
}
