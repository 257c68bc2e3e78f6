import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { havePrerequisites } from '../support/prerequisites.js';
import { runInTerminal, SCRIPT } from '../support/in-terminal.js';
import { runCli, TEST_KEY, TEST_PASSPHRASE_FILE } from './run-cli.js';

/** What the progress line writes before each redraw: carriage return, erase to the end of the line. */
const ERASE = '\r\x1b[K';
const work = mkdtempSync(join(tmpdir(), 'credline-derive-progress-'));
const serials = join(work, 'serials.txt');
writeFileSync(serials, Array.from({ length: 3000 }, (_, i) => `KL2301-${100000 + i}\n`).join(''));
const args = [
  'derive',
  '--key',
  TEST_KEY,
  '--passphrase-file',
  TEST_PASSPHRASE_FILE,
  '--profile-id',
  'acme-cam',
];

describe('credline derive --serials-file progress', () => {
  it.skipIf(!havePrerequisites('derive progress on a terminal', SCRIPT))(
    'shows done/total on a terminal and clears the line when done',
    () => {
      const out = join(work, 'tty.csv');
      const r = runInTerminal([...args, '--serials-file', serials, '--out', out]);
      expect(r.status).toBe(0);
      expect(r.shown.replaceAll(ERASE, '\n')).toMatch(/^deriving: [\d,]+\/3,000 serials \(\d+%\)/m);
      expect(r.shown.endsWith(ERASE)).toBe(true);
      expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(3002);
    },
  );

  it('stays silent when stderr is a pipe', () => {
    const out = join(work, 'pipe.csv');
    const r = runCli([...args, '--serials-file', serials, '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
