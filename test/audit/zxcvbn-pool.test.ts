import { describe, expect, it } from 'vitest';
import { scoreWithZxcvbn } from '../../src/audit/zxcvbn-pool.js';

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
    // zxcvbn spends hundreds of ms on 64 characters of dates or repeats; a 12-character random one takes ~1 ms.
    const hostile = '19841985198619871988198919901991199219931994199519961997199819';
    const requests = [
      { row: 0, password: 'wNADKmUL9yu5', userInputs: [] },
      { row: 1, password: hostile, userInputs: [] },
      { row: 2, password: 'password', userInputs: [] },
    ];
    const result = await scoreWithZxcvbn(requests, { workers: 1, rowTimeLimitMs: 25 });
    expect(result.timedOut).toContain(1);
    expect(result.scores[1]).toBe(-1);
    expect(result.scores[2]).toBe(0);
  });

  it('caps what it scores at 64 characters', async () => {
    const long = `${'x'.repeat(64)}${'wNADKmUL9yu5'.repeat(20)}`;
    const result = await scoreWithZxcvbn([{ row: 0, password: long, userInputs: [] }]);
    const capped = await scoreWithZxcvbn([{ row: 0, password: 'x'.repeat(64), userInputs: [] }]);
    expect(result.scores[0]).toBe(capped.scores[0]);
  });
});
