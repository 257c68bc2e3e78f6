/**
 * The batch credline would generate for a file of serials, built in memory only, so a security engineer can audit
 * a line key and profile before any device is touched: attempt 0 of scheme v1, or, given the policy, the attempt
 * the station would choose (choosePassword: about 1 ms a serial).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  canonicaliseSerial,
  createPasswordDeriver,
  keyId,
  trimSerial,
  type LineKey,
  type SchemeParams,
} from '../derive/index.js';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { choosePassword, type PasswordPolicy } from '../policy/index.js';
import { identityMismatch, type IdentityField } from '../profiles/index.js';
import { TextColumn } from './text-column.js';
import type { AuditBatch, AuditInput } from './audit-types.js';

export interface DerivedBatch {
  batch: AuditBatch;
  malformed: { line: number; message: string }[];
  /** The serials file's SHA-256 and its serials (derived and malformed). */
  input: Omit<AuditInput, 'source'>;
}

/**
 * Reads serials (one per line; BOM, CRLF and blank lines allowed) and derives each one's password: attempt 0, or
 * the first attempt `policy` accepts. With a profile's serial pattern, a serial the station would refuse is
 * malformed, as it is for `credline derive`.
 */
export function deriveBatchFromSerials(
  key: LineKey | Uint8Array,
  params: SchemeParams,
  serialsPath: string,
  policy: PasswordPolicy | null = null,
  serialField: IdentityField | null = null,
): DerivedBatch {
  let bytes: Buffer;
  try {
    bytes = readFileSync(serialsPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw usageError('AUDIT_INPUT', `cannot read serials file ${serialsPath}: ${code}`, error);
  }
  const text = bytes.toString('utf8');
  const derive = createPasswordDeriver(key, params);
  const serials = new TextColumn();
  const batch: AuditBatch = { passwords: [], lines: [], identifiers: { serial: serials } };
  const malformed: { line: number; message: string }[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      if (raw.trim().length === 0) return;
      try {
        // As the station: a control character first, then the pattern.
        canonicaliseSerial(raw, params.serialCase);
        const refused = serialField && identityMismatch('serial', serialField, trimSerial(raw));
        if (refused) {
          malformed.push({ line: index + 1, message: refused });
          return;
        }
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
  batch.keys = new Map([[keyId(key), batch.passwords.length]]);
  return {
    batch,
    malformed,
    input: {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      rows: batch.passwords.length + malformed.length,
    },
  };
}
