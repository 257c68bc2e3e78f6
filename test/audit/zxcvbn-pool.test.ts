import { describe, expect, it } from 'vitest';
import { scoreWithZxcvbn, type WatchdogClock } from '../../src/audit/zxcvbn-pool.js';

/** A clock that moves only when the test says; each move runs the watchdog once. */
function manualClock(): WatchdogClock & { advance(ms: number): void } {
  let now = 0;
  const ticks = new Set<() => void>();
  return {
    now: () => now,
    every(_ms, tick) {
      ticks.add(tick);
      return () => ticks.delete(tick);
    },
    advance(ms) {
      now += ms;
      for (const tick of ticks) tick();
    },
  };
}

/** Resolves once another thread has changed `flag[0]` from 0 (Atomics.waitAsync: in Node 20, not in lib ES2023). */
async function changed(flag: Int32Array): Promise<void> {
  const waitAsync = (
    Atomics as unknown as {
      waitAsync(a: Int32Array, i: number, v: number): { value: Promise<string> | string };
    }
  ).waitAsync;
  await waitAsync(flag, 0, 0).value;
}

describe('scoreWithZxcvbn', () => {
  it('scores rows in workers, in request order', async () => {
    const result = await scoreWithZxcvbn(
      [
        { row: 10, password: 'password', userInputs: [] },
        { row: 11, password: 'wNADKmUL9yu5', userInputs: [] },
        { row: 12, password: 'acme2024', userInputs: ['acme'] },
      ],
      { workers: 2 },
    );
    expect([...result.scores]).toEqual([0, 4, 1]);
    expect(result.log10Guesses[1]).toBeGreaterThan(10);
    expect(result.timedOut).toEqual([]);
  });

  it('abandons a row that runs past the per-row limit and scores the rest of its chunk', async () => {
    // The scorer blocks on `BLOCK` until released; the watchdog's clock moves only below, once that row is stuck,
    // so no other row can be judged slow however fast or loaded the machine is.
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const clock = manualClock();
    const requests = ['wNADKmUL9yu5', 'BLOCK', 'password', 'acme'].map((password, row) => ({
      row,
      password,
      userInputs: [],
    }));
    const scored: number[] = [];
    const scoring = scoreWithZxcvbn(requests, {
      workers: 1,
      rowTimeLimitMs: 500,
      clock,
      scorer: {
        url: new URL('./fixtures/blocking-scorer.mjs', import.meta.url).href,
        data: { flag: flag.buffer },
      },
      onScored: (count) => scored.push(count),
    });
    await changed(flag); // the thread is inside row 1
    clock.advance(0); // the watchdog sees row 1 in progress
    clock.advance(499);
    clock.advance(1); // ... for the whole limit
    const result = await scoring;
    expect(result.timedOut).toEqual([1]);
    expect([...result.scores]).toEqual([12 % 5, -1, 8 % 5, 4 % 5]);
    expect(scored).toEqual([1, 4]); // the abandoned row, then the other three of its chunk: each row once
  });

  it('does not abandon a row that is slow but still within the limit', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const clock = manualClock();
    const scoring = scoreWithZxcvbn([{ row: 0, password: 'BLOCK', userInputs: [] }], {
      workers: 1,
      rowTimeLimitMs: 500,
      clock,
      scorer: {
        url: new URL('./fixtures/blocking-scorer.mjs', import.meta.url).href,
        data: { flag: flag.buffer },
      },
    });
    await changed(flag);
    clock.advance(0);
    clock.advance(499);
    Atomics.store(flag, 0, 2); // the row ends just before its limit
    Atomics.notify(flag, 0);
    const result = await scoring;
    expect(result.timedOut).toEqual([]);
    expect([...result.scores]).toEqual([0]);
  });

  it('caps what it scores at 64 characters', async () => {
    const long = `${'x'.repeat(64)}${'wNADKmUL9yu5'.repeat(20)}`;
    const result = await scoreWithZxcvbn([{ row: 0, password: long, userInputs: [] }]);
    const capped = await scoreWithZxcvbn([{ row: 0, password: 'x'.repeat(64), userInputs: [] }]);
    expect(result.scores[0]).toBe(capped.scores[0]);
  });
});
