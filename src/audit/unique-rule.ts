/** `unique` (PSTI Sch. 1 para 1(2)(a)): no two devices share a password. One hash map pass: O(n). */
import type { AuditBatch } from './audit-types.js';
import type { Violations } from './violations.js';

export interface UniqueFindings {
  findings: string[];
  /** Rows whose password another row also has. */
  duplicateRows: number;
  distinct: number;
}

export function checkUnique(batch: AuditBatch, violations: Violations): UniqueFindings {
  const first = new Map<string, number>();
  const copies = new Map<number, number>();
  batch.passwords.forEach((password, index) => {
    const seen = first.get(password);
    if (seen === undefined) first.set(password, index);
    else copies.set(seen, (copies.get(seen) ?? 1) + 1);
  });
  if (copies.size > 0) {
    batch.passwords.forEach((password, index) => {
      const owner = first.get(password) ?? index;
      const count = copies.get(owner);
      if (count !== undefined) {
        violations.mark(index, () => `shared by ${count} rows (first at line ${batch.lines[owner]})`);
      }
    });
  }
  const findings =
    copies.size === 0
      ? [`all ${batch.passwords.length} passwords are distinct${keyScope(batch, 'unique among')}`]
      : [
          `${violations.count} rows share a password with another row: ${copies.size} passwords occur more than once${keyScope(batch, 'among')}`,
        ];
  return { findings, duplicateRows: violations.count, distinct: first.size };
}

/**
 * The scope of the judgement when the line keys are known: ` (unique among N passwords under key K)`, or, for rows
 * under several keys, each key with its rows; passwords are compared as written, so across keys too.
 */
function keyScope(batch: AuditBatch, words: string): string {
  const keys = [...(batch.keys ?? [])];
  const n = batch.passwords.length;
  if (keys.length === 0) return '';
  const [only] = keys;
  if (keys.length === 1 && only) return ` (${words} ${n} passwords under key ${only[0]})`;
  const listed = keys
    .slice(0, 5)
    .map(([key, rows]) => `${key} (${rows})`)
    .join(', ');
  const more = keys.length > 5 ? ` and ${keys.length - 5} more` : '';
  return (
    ` (${words} ${n} passwords under ${keys.length} line keys: ${listed}${more}; ` +
    'passwords are compared as written, across keys too)'
  );
}
