/**
 * `counter` (PSTI Sch. 1 para 1(3)(a)): not based on incremental counters. Two detectors, neither O(n²):
 *
 * - near-duplicates: rows of one length that differ in at most d positions (d = 1 up to 5 characters, else 2).
 *   By pigeonhole, two such rows agree exactly on one of d + 1 blocks; for each block the rows are bucketed by
 *   the block's hash (a native numeric sort); small buckets are compared pairwise, big ones (a shared stem) are
 *   sorted and each row compared with its next few neighbours: O(n log n).
 * - stepping numbers: the digit runs of each row, grouped by the text around them (shared stems, any prefix) and
 *   by position (random-looking per-row text around a counter); a group whose sorted values step by 1..3 more
 *   often than chance is a counter, whatever the row order.
 *
 * Chance models (docs/audit.md): each position uniform over the symbols the group uses; digit runs uniform over
 * the digits seen. Findings need the significance test of significance.ts.
 */
import type { AuditBatch } from './audit-types.js';
import { isSignificant } from './significance.js';
import type { Violations } from './violations.js';

const NEIGHBOURS = 3;
const MAX_STEP = 3;
const MAX_RUN_DIGITS = 15;

export function checkCounter(batch: AuditBatch, violations: Violations): string[] {
  const findings: string[] = [];
  findNearDuplicates(batch, violations, findings);
  findSteppingNumbers(batch, violations, findings);
  if (findings.length === 0) {
    findings.push(
      'no more near-duplicate rows (Hamming distance ≤ 2) or stepping digit runs than chance predicts (p < 1e-6)',
    );
  }
  return findings;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/**
 * Sorts (hash, index) pairs natively as doubles: the hash in the high bits, the index in the low bits. Equal hashes
 * end up adjacent; `indexOf` and `hashOf` unpack. Hash bits are dropped as needed to stay within 2^53.
 */
export function sortByHash(hashes: ArrayLike<number>): {
  keys: Float64Array;
  indexOf: (key: number) => number;
  hashOf: (key: number) => number;
} {
  const count = hashes.length;
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  const hashBits = Math.min(32, 53 - indexBits);
  const scale = 2 ** indexBits;
  const drop = 32 - hashBits;
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) keys[i] = ((hashes[i] ?? 0) >>> drop) * scale + i;
  keys.sort();
  return { keys, indexOf: (key) => key % scale, hashOf: (key) => Math.floor(key / scale) };
}

function hammingWithin(a: string, b: string, d: number): number {
  let diff = 0;
  for (let p = 0; p < a.length && diff <= d; p++) if (a.charCodeAt(p) !== b.charCodeAt(p)) diff++;
  return diff;
}

const SMALL_BUCKET = 32;

function findNearDuplicates(batch: AuditBatch, violations: Violations, findings: string[]): void {
  const byLength = new Map<number, number[]>();
  batch.passwords.forEach((password, index) => {
    if (password.length < 4) return;
    let group = byLength.get(password.length);
    if (!group) byLength.set(password.length, (group = []));
    group.push(index);
  });
  for (const [length, rows] of byLength) {
    if (rows.length < 2) continue;
    const d = length <= 5 ? 1 : 2;
    const symbols = new Set<string>();
    for (const i of rows) for (const ch of batch.passwords[i] ?? '') symbols.add(ch);
    const c = Math.max(symbols.size, 2);
    let pairP = 0;
    for (let h = 1; h <= d; h++) pairP += binomial(length, h) * (1 - 1 / c) ** h * (1 / c) ** (length - h);
    const expected = rows.length * (1 - Math.exp(-(rows.length - 1) * pairP));

    const pw = (k: number): string => batch.passwords[rows[k] ?? 0] ?? '';
    const partner = new Int32Array(rows.length).fill(-1);
    const link = (x: number, y: number): void => {
      if (partner[x] === -1) partner[x] = y;
      if (partner[y] === -1) partner[y] = x;
    };
    const hashes = new Uint32Array(rows.length);
    // Pigeonhole: rows within distance d agree exactly on one of d + 1 blocks.
    for (let block = 0; block <= d; block++) {
      const start = Math.floor((block * length) / (d + 1));
      const end = Math.floor(((block + 1) * length) / (d + 1));
      for (let k = 0; k < rows.length; k++) {
        const text = pw(k);
        let h = 0x811c9dc5;
        for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
        hashes[k] = h >>> 0;
      }
      const { keys, indexOf, hashOf } = sortByHash(hashes);
      for (let i = 0; i < keys.length;) {
        const hash = hashOf(keys[i] ?? 0);
        let j = i + 1;
        while (j < keys.length && hashOf(keys[j] ?? 0) === hash) j++;
        if (j - i >= 2) {
          const members = Array.from({ length: j - i }, (_, t) => indexOf(keys[i + t] ?? 0));
          if (members.length <= SMALL_BUCKET) {
            for (let x = 0; x < members.length; x++) {
              for (let y = x + 1; y < members.length; y++) {
                const a = members[x] ?? 0;
                const b = members[y] ?? 0;
                const diff = hammingWithin(pw(a), pw(b), d);
                if (diff > 0 && diff <= d) link(a, b);
              }
            }
          } else {
            // A big bucket (a shared stem, or a small alphabet): sort it and compare neighbours.
            members.sort((a, b) => (pw(a) < pw(b) ? -1 : pw(a) > pw(b) ? 1 : 0));
            for (let x = 0; x < members.length; x++) {
              for (let y = x + 1; y <= x + NEIGHBOURS && y < members.length; y++) {
                const a = members[x] ?? 0;
                const b = members[y] ?? 0;
                const diff = hammingWithin(pw(a), pw(b), d);
                if (diff > 0 && diff <= d) link(a, b);
              }
            }
          }
        }
        i = j;
      }
    }
    let observed = 0;
    for (const p of partner) if (p !== -1) observed++;
    if (!isSignificant(observed, expected)) continue;
    findings.push(
      `${observed} of ${rows.length} rows of length ${length} differ from another row in at most ${d} ` +
        `positions; chance predicts ${expected.toPrecision(2)} (each position uniform over ${c} symbols)`,
    );
    rows.forEach((row, k) => {
      const other = partner[k] ?? -1;
      if (other !== -1) {
        violations.mark(
          row,
          () => `differs in at most ${d} positions from line ${batch.lines[rows[other] ?? 0]}`,
        );
      }
    });
  }
}

interface RunEntry {
  row: number;
  value: number;
  digits: string;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function findSteppingNumbers(batch: AuditBatch, violations: Violations, findings: string[]): void {
  // Pass 1: hash each digit run's template (the text around it) and its position; keep only compact arrays.
  const templateHashes: number[] = [];
  const entryRow: number[] = [];
  const entryStart: number[] = [];
  const entryEnd: number[] = [];
  const byPosition = new Map<number, number[]>();
  const run = /\d+/g;
  batch.passwords.forEach((password, row) => {
    run.lastIndex = 0;
    for (let m = run.exec(password); m; m = run.exec(password)) {
      const digits = m[0].length;
      if (digits > MAX_RUN_DIGITS) continue;
      const start = m.index;
      const end = start + digits;
      const entry = entryRow.length;
      entryRow.push(row);
      entryStart.push(start);
      entryEnd.push(end);
      templateHashes.push(fnv1a(`${password.slice(0, start)}\u0001${password.slice(end)}`));
      const positionKey = (password.length * 128 + start) * 16 + digits;
      let group = byPosition.get(positionKey);
      if (!group) byPosition.set(positionKey, (group = []));
      group.push(entry);
    }
  });
  const entryOf = (entry: number): RunEntry => {
    const row = entryRow[entry] ?? 0;
    const digits = (batch.passwords[row] ?? '').slice(entryStart[entry], entryEnd[entry]);
    return { row, value: Number(digits), digits };
  };

  // Template groups: sort (hash, entry) pairs natively, then confirm the template text within equal hashes.
  const { keys, indexOf, hashOf } = sortByHash(templateHashes);
  let flaggedGroups = 0;
  let flaggedRows = 0;
  for (let i = 0; i < keys.length;) {
    const hash = hashOf(keys[i] ?? 0);
    let j = i + 1;
    while (j < keys.length && hashOf(keys[j] ?? 0) === hash) j++;
    if (j - i >= 3) {
      const byTemplate = new Map<string, RunEntry[]>();
      for (let k = i; k < j; k++) {
        const entry = indexOf(keys[k] ?? 0);
        const e = entryOf(entry);
        const pw = batch.passwords[e.row] ?? '';
        const template = `${pw.slice(0, entryStart[entry])}\u0001${pw.slice(entryEnd[entry])}`;
        let list = byTemplate.get(template);
        if (!list) byTemplate.set(template, (list = []));
        list.push(e);
      }
      for (const entries of byTemplate.values()) {
        const rows = judgeStepping(entries, batch, violations, 'shares its stem with');
        if (rows > 0) {
          flaggedGroups++;
          flaggedRows += rows;
        }
      }
    }
    i = j;
  }
  if (flaggedGroups > 0) {
    findings.push(
      `${flaggedRows} rows in ${flaggedGroups} groups share all text but a number, and the numbers step by 1..${MAX_STEP} ` +
        'more often than chance predicts (digits uniform over those seen)',
    );
  }

  let positionGroups = 0;
  let positionRows = 0;
  for (const entries of byPosition.values()) {
    if (entries.length < 8) continue;
    const rows = judgeStepping(entries.map(entryOf), batch, violations, 'steps from');
    if (rows > 0) {
      positionGroups++;
      positionRows += rows;
    }
  }
  if (positionGroups > 0) {
    findings.push(
      `${positionRows} rows carry a number at a fixed position that steps through the batch by 1..${MAX_STEP} ` +
        'more often than chance predicts',
    );
  }
}

/** Marks the rows of a group whose numbers step, when they step significantly more than chance; returns the count. */
function judgeStepping(entries: RunEntry[], batch: AuditBatch, violations: Violations, verb: string): number {
  if (entries.length < 3) return 0;
  const digitsSeen = new Set<string>();
  let width = 0;
  for (const e of entries) {
    for (const ch of e.digits) digitsSeen.add(ch);
    width = Math.max(width, e.digits.length);
  }
  const sorted = [...entries].sort((a, b) => a.value - b.value);
  const distinct: RunEntry[] = [];
  for (const e of sorted) if (distinct.at(-1)?.value !== e.value) distinct.push(e);
  const stepping = new Set<number>();
  let steps = 0;
  for (let k = 1; k < distinct.length; k++) {
    const prev = distinct[k - 1];
    const cur = distinct[k];
    if (!prev || !cur) continue;
    const gap = cur.value - prev.value;
    if (gap >= 1 && gap <= MAX_STEP) {
      steps++;
      stepping.add(k - 1).add(k);
    }
  }
  const range = Math.max(digitsSeen.size, 2) ** width;
  const expected = distinct.length * (1 - (1 - MAX_STEP / range) ** entries.length);
  if (steps < 2 || !isSignificant(steps, expected)) return 0;
  const neighbourOf = new Map<number, RunEntry>();
  for (const k of stepping) {
    const e = distinct[k];
    const neighbour = distinct[k + 1] ?? distinct[k - 1];
    if (e && neighbour) neighbourOf.set(e.value, neighbour);
  }
  let marked = 0;
  for (const e of sorted) {
    const neighbour = neighbourOf.get(e.value);
    if (!neighbour) continue;
    if (!violations.has(e.row)) marked++;
    violations.mark(
      e.row,
      () => `its number ${verb} line ${batch.lines[neighbour.row]}'s by at most ${MAX_STEP}`,
    );
  }
  return marked;
}
