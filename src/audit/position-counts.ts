/** Symbol counts per position for the rows of one length: the base of positional entropy, chi-square and charts. */

/** Printable ASCII 0x20..0x7E have their own bucket; everything else shares bucket 95. */
const BUCKETS = 96;

export interface PositionCounts {
  length: number;
  rows: number;
  /** counts[position * 96 + bucket] */
  counts: Int32Array;
}

function bucketOf(code: number): number {
  return code >= 0x20 && code <= 0x7e ? code - 0x20 : 95;
}

export function bucketSymbol(bucket: number): string {
  return bucket === 95 ? '(other)' : String.fromCharCode(bucket + 0x20);
}

/** Counts per length group (only lengths with at least `minRows` rows, up to 64 characters). */
export function countPositions(passwords: readonly string[], minRows: number): Map<number, PositionCounts> {
  const lengths = new Map<number, number>();
  for (const pw of passwords) lengths.set(pw.length, (lengths.get(pw.length) ?? 0) + 1);
  const groups = new Map<number, PositionCounts>();
  for (const [length, rows] of lengths) {
    if (rows >= minRows && length > 0 && length <= 64) {
      groups.set(length, { length, rows, counts: new Int32Array(length * BUCKETS) });
    }
  }
  for (const pw of passwords) {
    const group = groups.get(pw.length);
    if (!group) continue;
    for (let i = 0; i < pw.length; i++) {
      const k = i * BUCKETS + bucketOf(pw.charCodeAt(i));
      group.counts[k] = (group.counts[k] ?? 0) + 1;
    }
  }
  return groups;
}

/** The buckets used anywhere in the group (its alphabet). */
export function groupBuckets(group: PositionCounts): number[] {
  const used: number[] = [];
  for (let b = 0; b < BUCKETS; b++) {
    for (let p = 0; p < group.length; p++) {
      if ((group.counts[p * BUCKETS + b] ?? 0) > 0) {
        used.push(b);
        break;
      }
    }
  }
  return used;
}

/** The counts of one position over the given buckets. */
export function positionRow(group: PositionCounts, position: number, buckets: readonly number[]): number[] {
  return buckets.map((b) => group.counts[position * BUCKETS + b] ?? 0);
}
