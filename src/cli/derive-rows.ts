/**
 * Turns one batch of numbered serial lines into CSV text and per-line errors. Runs in a worker thread
 * (derive-worker.ts) so that derivation uses every core; pure apart from the key it is given.
 */
import { stringify } from 'csv-stringify/sync';
import { createFingerprinter, keyId } from '../derive/key-id.js';
import { createPasswordDeriver, deriveFirstAccepted, type SchemeParams } from '../derive/password.js';
import type { NumberedLine } from './serial-lines.js';

export const DERIVED_CSV_COLUMNS = ['serial', 'password', 'key_id', 'fingerprint', 'attempt'];

export interface DeriveRowsSetup {
  key: Uint8Array;
  params: SchemeParams;
  /** Exactly this attempt; when undefined, the first attempt with a candidate. */
  attempt: number | undefined;
}

export interface DerivedBatch {
  csv: string;
  errors: { lineNumber: number; message: string }[];
}

export function createRowDeriver(setup: DeriveRowsSetup): (batch: NumberedLine[]) => DerivedBatch {
  const derive = createPasswordDeriver(setup.key, setup.params);
  const fingerprintOf = createFingerprinter(setup.key);
  const id = keyId(setup.key);
  return (batch) => {
    const rows: string[][] = [];
    const errors: DerivedBatch['errors'] = [];
    for (const line of batch) {
      try {
        const result =
          setup.attempt === undefined
            ? deriveFirstAccepted(derive, line.text)
            : derive(line.text, setup.attempt);
        if (result.password === null)
          throw new Error(`attempt ${result.attempt} yields no password (stream exhausted)`);
        rows.push([
          result.serial,
          result.password,
          id,
          fingerprintOf(result.password),
          String(result.attempt),
        ]);
      } catch (error) {
        errors.push({
          lineNumber: line.lineNumber,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return { csv: rows.length > 0 ? stringify(rows) : '', errors };
  };
}
