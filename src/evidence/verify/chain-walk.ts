/**
 * The chain walk of `evidence verify`: every record in seq order, checked against the one before it. Reports a
 * deleted, inserted, edited or reordered record (naming it as its row reads now) and yields the records kept.
 */
import type Database from 'better-sqlite3';
import { canonicalText, GENESIS_HASH, recordHash, type FieldKind } from '../chain/canonical.js';
import { iterateChainRows } from '../chain/chain-rows.js';
import { encodedKinds, fieldOf, toChainRecord, type ChainRecord } from '../chain/record-types.js';
import type { VerifyProblem } from './verify-report.js';

/** How far a record's seq is searched when it does not hash at its place (a swap or a renumbering). */
const REORDER_WINDOW = 64;

/**
 * Walks the chain in seq order, reporting gaps, duplicates, broken links and rows that do not hash; yields each
 * record kept at its seq.
 */
export function* walkChain(
  db: Database.Database,
  report: (problem: VerifyProblem) => void,
): Generator<ChainRecord> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let group: ChainRecord[] = [];
  // An edited row is reported once the next record is read: whether its prev_hash still links to the stored
  // row_hash tells that the stored hash is the original and the row's content changed after it was written.
  let edited: { seq: number; rowHash: string; message: string } | undefined;
  const reportEdited = (next: readonly ChainRecord[]): void => {
    if (!edited) return;
    const { seq, rowHash, message } = edited;
    edited = undefined;
    const linked = next.some((row) => row.seq === seq + 1 && row.prevHash === rowHash);
    report({
      kind: 'chain',
      seq,
      message:
        next.length === 0
          ? `${message}: a field was edited (it is the last record, so no later prev_hash confirms that the stored row_hash is the original)`
          : linked
            ? `${message}, while the next record's prev_hash still links to the stored row_hash: the stored hash is the original, so the row was changed after it was written: a field was edited (a hash cannot tell which)`
            : `${message}: a field was edited, or the row was replaced`,
    });
  };
  const settle = (): ChainRecord | undefined => {
    if (group.length === 0) return undefined;
    reportEdited(group);
    const seq = (group[0] as ChainRecord).seq;
    if (seq > expectedSeq) {
      report({
        kind: 'chain',
        seq: expectedSeq,
        message:
          seq - 1 === expectedSeq
            ? `seq ${expectedSeq} is missing: the record was deleted`
            : `seq ${expectedSeq}..${seq - 1} are missing: ${seq - expectedSeq} records were deleted`,
      });
    }
    let kept = group[0] as ChainRecord;
    if (group.length > 1) {
      const genuine = group.filter((row) => rowProblem(row, prevHash) === undefined);
      kept = genuine[0] ?? kept;
      for (const row of group) {
        if (row === kept) continue;
        report({
          kind: 'chain',
          seq,
          message: `seq ${seq} appears twice (${row.type.table} and ${kept.type.table}): a record was inserted into ${row.type.table}`,
        });
      }
    }
    const problem = rowProblem(kept, seq > expectedSeq ? kept.prevHash : prevHash);
    const message = problem && `seq ${seq} (${describeRecord(kept)}): ${problem.message}`;
    if (problem?.edited) edited = { seq, rowHash: kept.rowHash, message: message as string };
    else if (message) report({ kind: 'chain', seq, message });
    expectedSeq = seq + 1;
    prevHash = kept.rowHash;
    group = [];
    return kept;
  };
  for (const raw of iterateChainRows(db)) {
    const row = toChainRecord(raw);
    if (group.length > 0 && (group[0] as ChainRecord).seq !== row.seq) {
      const kept = settle();
      if (kept) yield kept;
    }
    group.push(row);
  }
  const kept = settle();
  reportEdited([]);
  if (kept) yield kept;
}

/**
 * Why a record does not belong at its place in the chain, or undefined when it does. `edited`: its content does
 * not hash to its stored row_hash (the caller adds what the next record's link says about it).
 */
function rowProblem(
  row: ChainRecord,
  expectedPrev: string,
): { message: string; edited: boolean } | undefined {
  const { type, values } = row;
  const kinds = encodedKinds(type, values);
  let computed: string;
  try {
    computed = recordHash(row.prevHash, type.tag, kinds, values);
  } catch {
    return { message: fieldProblem(row) ?? 'a field cannot be encoded (edited by hand)', edited: false };
  }
  if (computed === row.rowHash) {
    return row.prevHash === expectedPrev
      ? undefined
      : {
          message: `prev_hash ${row.prevHash} does not match the row_hash ${expectedPrev} of the record before it: a record before it was deleted, inserted or moved`,
          edited: false,
        };
  }
  const hashedAs = findOriginalSeq(row, kinds);
  if (hashedAs !== undefined) {
    return {
      message: `the record was written as seq ${hashedAs} and now sits at seq ${row.seq}: records were reordered or renumbered`,
      edited: false,
    };
  }
  return {
    message: `its content does not match its row_hash (stored ${row.rowHash}, computed from the fields ${computed})`,
    edited: true,
  };
}

/** The fields that say which record a report is about, per table (kind and result go unlabelled). */
const IDENTITY_FIELDS: Record<string, readonly string[]> = {
  stations: ['station_id'],
  line_keys: ['key_id'],
  batches: ['batch_id'],
  provisioning_events: ['kind', 'result', 'serial', 'batch_id'],
  policy_rejections: ['serial', 'batch_id', 'rule'],
  compliance_seals: ['sealed_table', 'sealed_key'],
};
const FIELD_LABELS: Record<string, string> = {
  station_id: 'station ',
  key_id: 'line key ',
  batch_id: 'batch ',
  serial: 'serial ',
  rule: 'rule ',
};

/**
 * Which record this is, as its row reads now (an edited field may be among them).
 *
 * @example describeRecord(row); // 'provisioning_events: RESULT PASS, serial SN-4, batch B1'
 */
function describeRecord(row: ChainRecord): string {
  const parts: string[] = [];
  for (const name of IDENTITY_FIELDS[row.type.table] ?? []) {
    const value = fieldOf(row, name);
    if (value === null) continue;
    if (name === 'result') parts.push(`${parts.pop() ?? ''} ${String(value)}`.trim());
    else parts.push(`${FIELD_LABELS[name] ?? ''}${String(value)}`);
  }
  return parts.length === 0 ? row.type.table : `${row.type.table}: ${parts.join(', ')}`;
}

/** Names the first field whose stored value no credline could have written. */
function fieldProblem(row: ChainRecord): string | undefined {
  for (const [i, field] of row.type.fields.entries()) {
    const value = row.values[i] ?? null;
    if (value === null) continue;
    const text = canonicalText(field.kind, value);
    if ('problem' in text) return `field ${field.name}: ${text.problem} (edited by hand)`;
  }
  return undefined;
}

/** Tries nearby seq values: a row moved by a swap or renumbering still hashes under its original seq. */
function findOriginalSeq(row: ChainRecord, kinds: readonly FieldKind[]): number | undefined {
  for (let delta = 1; delta <= REORDER_WINDOW; delta++) {
    for (const seq of [row.seq - delta, row.seq + delta]) {
      if (seq < 1) continue;
      const moved = row.values.slice();
      moved[0] = seq; // seq is every record's first field
      if (recordHash(row.prevHash, row.type.tag, kinds, moved) === row.rowHash) return seq;
    }
  }
  return undefined;
}
