/**
 * The station's tally of verdicts: the one count of PASS, FAIL and ABORTED that the operator's status line, the
 * summary and the JSON-line end record all print.
 */
import type { DeviceResult, StationTally } from './station-types.js';

const MINUTE_MS = 60_000;

export interface Tally {
  /** Counts one verdict. */
  count(result: DeviceResult): void;
  /** The counts and rate now. */
  snapshot(): StationTally;
}

/**
 * @example
 * const tally = createTally(() => performance.now());
 * tally.count('PASS');
 * tally.snapshot().devicesPerMin; // 1 within the first minute
 */
export function createTally(clockMs: () => number): Tally {
  const started = clockMs();
  const counts = { pass: 0, fail: 0, aborted: 0 };
  return {
    count(result) {
      if (result === 'PASS') counts.pass++;
      else if (result === 'ABORTED') counts.aborted++;
      else counts.fail++;
    },
    snapshot() {
      const elapsedMs = clockMs() - started;
      const done = counts.pass + counts.fail + counts.aborted;
      return { ...counts, elapsedMs, devicesPerMin: (done * MINUTE_MS) / Math.max(elapsedMs, MINUTE_MS) };
    },
  };
}
