/**
 * The compliance seals part of `evidence verify`: every row of a sealed table against its seal in the chain.
 */
import type Database from 'better-sqlite3';
import { sealedTablesAt } from '../chain/owned-tables.js';
import { COMPLIANCE_SEAL_TYPE, fieldOf, type ChainRecord } from '../chain/record-types.js';
import { sealDigest, sealKey } from '../chain/seals.js';
import type { VerifyProblem, VerifyReport } from './verify-report.js';

/**
 * Checks every compliance row against its seal in the chain: a row whose digest differs was edited after it was
 * sealed, a row with no seal was inserted outside credline, a seal whose row is gone marks a deleted row.
 */
export function checkSeals(
  db: Database.Database,
  version: number,
  seals: readonly ChainRecord[],
  report: (problem: VerifyProblem) => void,
): VerifyReport['compliance'] {
  const tables = sealedTablesAt(version);
  const sealed = version >= COMPLIANCE_SEAL_TYPE.sinceVersion;
  if (tables.length === 0) return { rows: 0, unsealed: 0 };
  const bySubject = new Map<string, ChainRecord>();
  for (const seal of seals) {
    const table = String(fieldOf(seal, 'sealed_table'));
    const key = String(fieldOf(seal, 'sealed_key'));
    const subject = `${table}\u0000${key}`;
    const first = bySubject.get(subject);
    if (first) {
      report({
        kind: 'compliance',
        seq: seal.seq,
        message: `${table} row ${key} is sealed twice (seq ${first.seq} and ${seal.seq}): a seal was inserted`,
      });
    } else bySubject.set(subject, seal);
  }
  let rows = 0;
  for (const spec of tables) {
    for (const row of db.prepare(`SELECT * FROM ${spec.table} ORDER BY rowid`).iterate() as Iterable<
      Record<string, unknown>
    >) {
      rows++;
      if (!sealed) continue;
      const key = sealKey(spec, row);
      const subject = `${spec.table}\u0000${key}`;
      const seal = bySubject.get(subject);
      const what = `${spec.table} row ${key} (${spec.describe(row)})`;
      if (!seal) {
        report({
          kind: 'compliance',
          message: `${what} has no seal in the chain: it was inserted outside credline`,
        });
        continue;
      }
      bySubject.delete(subject);
      let digest: string;
      try {
        digest = sealDigest(spec, row);
      } catch (error) {
        digest = `(cannot be encoded: ${(error as Error).message})`;
      }
      const sealedDigest = fieldOf(seal, 'sealed_digest');
      if (digest !== sealedDigest) {
        report({
          kind: 'compliance',
          seq: seal.seq,
          message: `${what} does not match the digest sealed at seq ${seal.seq} (sealed ${String(sealedDigest)}, row now ${digest}): the row was edited after it was sealed`,
        });
      }
    }
  }
  for (const seal of bySubject.values()) {
    report({
      kind: 'compliance',
      seq: seal.seq,
      message: `${String(fieldOf(seal, 'sealed_table'))} row ${String(fieldOf(seal, 'sealed_key'))}, sealed at seq ${seal.seq}, is gone: the row was deleted`,
    });
  }
  return { rows, unsealed: sealed ? 0 : rows };
}
