/** The station's tally: the one count the status line, the summary and the JSON-line end record print. */
import { describe, expect, it } from 'vitest';
import { createTally } from '../../src/station/tally.js';

describe('the station tally', () => {
  it('counts verdicts and rates devices per minute over devices actually completed, never extrapolated', () => {
    let now = 1_000;
    const tally = createTally(() => now);
    expect(tally.snapshot()).toEqual({ pass: 0, fail: 0, aborted: 0, elapsedMs: 0, devicesPerMin: 0 });
    now += 14; // one unit refused 14 ms into the run: 1 device/min, not 4,286
    tally.count('FAIL');
    expect(tally.snapshot()).toMatchObject({ fail: 1, elapsedMs: 14, devicesPerMin: 1 });
    now += 40_000;
    tally.count('PASS');
    tally.count('ABORTED');
    expect(tally.snapshot()).toMatchObject({ pass: 1, fail: 1, aborted: 1, devicesPerMin: 3 });
    now = 1_000 + 120_000; // two minutes in, 120 more units: 123 over 2 minutes
    for (let i = 0; i < 120; i++) tally.count('PASS');
    expect(tally.snapshot().devicesPerMin).toBe(61.5);
  });
});
