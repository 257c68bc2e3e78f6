/**
 * A restricted evidence pack (e.g. for an information notice): only the records of a serial range and a time
 * window. Its own file, so that the pack and its README both use it without importing each other.
 */

/** Inclusive bounds of a restricted pack; none set means the whole batch. */
export interface PackRestriction {
  /** Inclusive serial range (compared as text, as serials are stored). */
  serialFrom?: string;
  serialTo?: string;
  /** Inclusive ISO-8601 UTC bounds on `recorded_at`. */
  since?: string;
  until?: string;
}

/** True when a record (as the export's JSON has it) falls inside the restriction. */
export function inRestriction(record: Record<string, unknown>, r: PackRestriction): boolean {
  const serial = record['serial'];
  if (typeof serial === 'string') {
    if (r.serialFrom !== undefined && serial < r.serialFrom) return false;
    if (r.serialTo !== undefined && serial > r.serialTo) return false;
  }
  const recordedAt = record['recorded_at'];
  if (typeof recordedAt === 'string' && r.until !== undefined && recordedAt > r.until) return false;
  return true;
}

/** The restriction's own fields, out of a larger request. */
export function restrictionOf(r: PackRestriction): PackRestriction {
  return { serialFrom: r.serialFrom, serialTo: r.serialTo, since: r.since, until: r.until };
}

/** True when any bound is set. */
export function isRestricted(r: PackRestriction): boolean {
  return [r.serialFrom, r.serialTo, r.since, r.until].some((v) => v !== undefined);
}
