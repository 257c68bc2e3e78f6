/** The docs' reason table (provisioning/REASONS.md) says what src/reasons says, word for word, for every code. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILE_REASON_ADVICE, REASON_ADVICE } from '../../src/reasons/index.js';

const doc = readFileSync('provisioning/REASONS.md', 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `([a-z-]+)` \| [^|]+ \| ([^|]+) \|$/gm)].map((m) => [
    m[1] ?? '',
    (m[2] ?? '').trim(),
  ]),
);

describe('the reason table', () => {
  it('has one row per reason code, with the advice the station prints', () => {
    expect([...rows.keys()]).toEqual(Object.keys(REASON_ADVICE));
    for (const [code, advice] of Object.entries(REASON_ADVICE)) expect(rows.get(code), code).toBe(advice);
    expect(doc).toContain(`| ${PROFILE_REASON_ADVICE} |`);
  });
});
