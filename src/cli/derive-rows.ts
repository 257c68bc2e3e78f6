/**
 * Turns one batch of numbered serial lines into CSV text and per-line errors. Runs in a worker thread
 * (derive-worker.ts) so that derivation and the policy use every core; pure apart from the key it is given. A key
 * that stops answering (a token lost mid-run) ends the whole run rather than skipping a line.
 */
import { stringify } from 'csv-stringify/sync';
import {
  canonicaliseSerial,
  createFingerprinter,
  createPasswordDeriver,
  keyId,
  trimSerial,
  type LineKey,
  type SchemeParams,
} from '../derive/index.js';
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import { neutraliseFormula } from '../errors/formula-cell.js';
import { identityMismatch, type IdentityField } from '../profiles/index.js';
import { choosePassword, createPasswordPolicy, type PasswordPolicyOptions } from '../policy/index.js';
import type { NumberedLine } from './serial-lines.js';

export const DERIVED_CSV_COLUMNS = ['serial', 'password', 'key_id', 'fingerprint', 'attempt'];

export interface DeriveRowsSetup {
  key: LineKey;
  params: SchemeParams;
  /** Exactly this attempt, policy or not; when undefined, the first attempt the policy accepts. */
  attempt: number | undefined;
  /** The password policy's options; null derives without it (the bare scheme). */
  policy: PasswordPolicyOptions | null;
  /** The profile's serial pattern, applied as the station applies it; null without a profile. */
  serialField: IdentityField | null;
}

export interface DerivedBatch {
  csv: string;
  errors: { lineNumber: number; message: string }[];
}

export function createRowDeriver(setup: DeriveRowsSetup): (batch: NumberedLine[]) => DerivedBatch {
  const derive = createPasswordDeriver(setup.key, setup.params);
  // The CSV records no zxcvbn figures: the proven bound decides, zxcvbn runs only where it could matter.
  const policy = setup.policy === null ? null : createPasswordPolicy({ ...setup.policy, figures: 'bound' });
  const fingerprintOf = createFingerprinter(setup.key);
  const id = keyId(setup.key);
  const { attempt } = setup;
  return (batch) => {
    const rows: string[][] = [];
    const errors: DerivedBatch['errors'] = [];
    for (const line of batch) {
      try {
        // As the station: a control character first (canonicalisation refuses it), then the pattern.
        canonicaliseSerial(line.text, setup.params.serialCase);
        const refused =
          setup.serialField && identityMismatch('serial', setup.serialField, trimSerial(line.text));
        if (refused) throw new Error(refused);
        const result =
          attempt === undefined
            ? choosePassword(derive, policy, { serial: line.text })
            : derive(line.text, attempt);
        if (result.password === null)
          throw new Error(`no attempt up to ${result.attempt} yields an acceptable password`);
        rows.push([
          // A serial is outside text: a spreadsheet must not run it as a formula (the password is written exactly).
          neutraliseFormula(result.serial),
          result.password,
          id,
          fingerprintOf(result.password),
          String(result.attempt),
        ]);
      } catch (error) {
        if (error instanceof CredlineError && error.exitCode === ExitCode.transport) throw error;
        errors.push({
          lineNumber: line.lineNumber,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return { csv: rows.length > 0 ? stringify(rows) : '', errors };
  };
}
