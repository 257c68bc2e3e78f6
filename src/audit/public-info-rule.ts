/**
 * `public-info` (PSTI Sch. 1 para 1(3)(b)): not based on publicly available information. Every row is looked up in
 * the shipped public lists (exact, or a listed password with digits/symbols around it): O(n) hash lookups. Product
 * names are searched in every row and judged against chance: a name of k symbols turns up in a random password
 * with probability Σ positions × Π P(symbol), P from the batch's own case-folded symbol frequencies.
 */
import { matchPublicPassword, publicNameForms } from '../policy/index.js';
import type { AuditBatch } from './audit-types.js';
import { isSignificant } from './significance.js';
import type { Violations } from './violations.js';

export function foldedFrequencies(passwords: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const pw of passwords) {
    for (const ch of pw.toLowerCase()) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      total++;
    }
  }
  const out = new Map<string, number>();
  for (const [ch, count] of counts) out.set(ch, count / Math.max(total, 1));
  return out;
}

export function checkPublicInfo(
  batch: AuditBatch,
  names: readonly (string | undefined)[],
  violations: Violations,
): string[] {
  const findings: string[] = [];
  const byList = new Map<string, number>();
  batch.passwords.forEach((password, index) => {
    const match = matchPublicPassword(password);
    if (!match) return;
    byList.set(match.list, (byList.get(match.list) ?? 0) + 1);
    violations.mark(
      index,
      match.how === 'exact' ? `listed in ${match.list}` : `a ${match.list} entry with digits/symbols added`,
    );
  });
  for (const [list, count] of byList) findings.push(`${count} rows are (or are built on) entries of ${list}`);

  const forms = publicNameForms(names);
  if (forms.length > 0) {
    const frequencies = foldedFrequencies(batch.passwords);
    for (const name of forms) {
      let chanceEach = 1;
      for (const ch of name) chanceEach *= frequencies.get(ch) ?? 0;
      let expected = 0;
      const hits: number[] = [];
      batch.passwords.forEach((password, index) => {
        expected += Math.max(0, password.length - name.length + 1) * chanceEach;
        if (password.toLowerCase().includes(name)) hits.push(index);
      });
      if (hits.length === 0) continue;
      if (!isSignificant(hits.length, expected)) {
        findings.push(
          `${hits.length} rows contain the name "${name}", as chance predicts (${expected.toPrecision(2)}): not counted`,
        );
        continue;
      }
      findings.push(
        `${hits.length} rows contain the product name "${name}"; chance predicts ${expected.toPrecision(2)}`,
      );
      for (const index of hits) violations.mark(index, `contains the product name "${name}"`);
    }
  }
  if (violations.count === 0) findings.push('no row is a listed public password or built on a product name');
  return findings;
}
