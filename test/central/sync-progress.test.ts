/**
 * `credline sync` on a terminal: a progress line on stderr (records pushed of those the store lacked), cleared
 * before the summary; nothing with --format json. The line asserted is the one drawn when the first transaction
 * has committed (drawn whatever the clock says), so nothing depends on speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePostgresServer } from '../support/postgres.js';
import { havePrerequisites } from '../support/prerequisites.js';
import { runInTerminal, SCRIPT } from '../support/in-terminal.js';
import { serials, startCentral, stationFile, type CentralFixture } from './helpers.js';

const ERASE = '\r\x1b[K';
const ready = havePostgresServer('sync progress') && havePrerequisites('sync progress on a terminal', SCRIPT);

describe.skipIf(!ready)('credline sync on a terminal', () => {
  let central: CentralFixture;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(() => central?.cluster.destroy());

  it('shows the records pushed of the total, then clears the line before the summary', () => {
    const { file, store } = stationFile('line1', serials('PR', 40)); // 3 + 80 records
    store.close();
    const r = runInTerminal(
      ['sync', '--db', file, '--central-env', 'CENTRAL_URL', '--chunk', '10'],
      central.env('line1'),
    );
    expect(r.status).toBe(0);
    const lines = r.shown.split(ERASE);
    expect(lines).toContain('pushing to the central store');
    expect(lines).toContain('pushing station line1 to the central store: 10/83 records (12%)');
    expect(lines.at(-1)).toMatch(/^station line1: pushed 83 records/);
  });

  it('draws nothing with --format json', () => {
    const { file, store } = stationFile('line2', serials('PJ', 5));
    store.close();
    const r = runInTerminal(
      ['sync', '--db', file, '--central-env', 'CENTRAL_URL', '--format', 'json'],
      central.env('line2'),
    );
    expect(r.status).toBe(0);
    expect(r.shown).not.toContain('\x1b[K');
    expect(r.shown.trimStart().startsWith('{')).toBe(true);
  });
});
