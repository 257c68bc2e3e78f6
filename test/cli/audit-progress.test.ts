import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededPassword, seededUint32 } from '../audit/batches.js';
import { havePrerequisites } from '../support/prerequisites.js';
import { runInTerminal, SCRIPT } from '../support/in-terminal.js';
import { runCli } from './run-cli.js';

/** What the progress line writes before each redraw: carriage return, erase to the end of the line. */
const ERASE = '\r\x1b[K';
const work = mkdtempSync(join(tmpdir(), 'credline-audit-progress-'));
const csv = join(work, 'batch.csv');
const next = seededUint32(5);
const rows = Array.from(
  { length: 2000 },
  (_, i) => `KL2301-${100000 + i},${seededPassword('0123456789abcdef', 16, next)}`,
);
writeFileSync(csv, `serial,password\n${rows.join('\n')}\n`);

describe.skipIf(!havePrerequisites('audit progress on a terminal', SCRIPT))('credline audit progress', () => {
  it('shows reading and each rule on a terminal, then clears the line before the report', () => {
    const r = runInTerminal(['audit', csv]);
    expect(r.status).toBe(0);
    expect(r.shown.replaceAll(ERASE, '\n')).toMatch(/^reading .*batch\.csv: [\d,]+\/[\d,]+ kB \(\d+%\)/m);
    for (const [index, rule] of [
      'unique',
      'counter',
      'public-info',
      'identifier-derived',
      'guessable',
    ].entries())
      expect(r.shown).toContain(`${ERASE}auditing 2,000 rows: ${rule} (${index + 1}/6)`);
    // the long rules tick inside: each step drawn as it starts, with what it counts
    const lines = r.shown.split(ERASE);
    for (const step of [
      'identifier-derived (4/6), fragments: 0/2,000 rows (0%)',
      'identifier-derived (4/6), hash windows: 0/512 rows (0%)',
      'identifier-derived (4/6), known schemes',
      'guessable (5/6), pre-screen: 0/2,000 rows (0%)',
    ])
      expect(lines).toContain(`auditing 2,000 rows: ${step}`);
    expect(lines).toContainEqual(
      expect.stringMatching(/^auditing 2,000 rows: guessable \(5\/6\), zxcvbn: 0\/[\d,]+ rows \(0%\)$/),
    );
    expect(r.shown).toContain(`${ERASE}credline audit:`);
  });

  it('draws nothing with --format json, even on a terminal', () => {
    const r = runInTerminal(['audit', csv, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(r.shown).not.toContain('\x1b[K');
    expect(r.shown.trimStart().startsWith('{')).toBe(true);
  });
});

describe('credline audit in a pipe', () => {
  it('writes no progress to stderr', () => {
    const r = runCli(['audit', csv]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
