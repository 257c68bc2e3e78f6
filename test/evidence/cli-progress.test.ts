/**
 * Progress of the long evidence commands (verify, export, backup): a line on a terminal's stderr, cleared before
 * the command's own output; nothing in a pipe or with --format json. The lines asserted are the ones drawn when a
 * step starts (drawn whatever the clock says), never the redraws in between, so no assertion depends on speed.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFingerprinter } from '../../src/derive/key-id.js';
import { backupEvidenceStore, openDatabase, type ImportedDevice } from '../../src/evidence/index.js';
import { havePrerequisites } from '../support/prerequisites.js';
import { runInTerminal, SCRIPT } from '../support/in-terminal.js';
import { credline } from './cli-run.js';
import { newStore, TEST_KEY_ID, TEST_LINE_KEY, tempDir } from './helpers.js';

/** What the progress line writes before each redraw: carriage return, erase to the end of the line. */
const ERASE = '\r\x1b[K';
/** 2 records per device plus the station, key and batch. */
const DEVICES = 2500;
const RECORDS = 2 * DEVICES + 3;

let dir: string;
let db: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'credline-evidence-progress-')); // kept for every test of the file
  const store = newStore(join(dir, 'line1.db'));
  const fingerprint = createFingerprinter(TEST_LINE_KEY);
  const device = (n: number): ImportedDevice => ({
    batchId: 'B1',
    serial: `SN-${n}`,
    keyId: TEST_KEY_ID,
    schemeVersion: 1,
    attempt: 0,
    fingerprint: fingerprint(`pw-${n}`),
    zxcvbnScore: 4,
    zxcvbnLog10Guesses: 12,
    entropyBits: 69.658,
    port: '/dev/ttyUSB0',
    stationId: 'line1',
    operator: 'op1',
    result: { result: 'PASS', readbackVerified: true },
  });
  store.importDevices(Array.from({ length: DEVICES }, (_, n) => device(n)));
  expect(store.head().seq).toBe(RECORDS);
  store.close();
  db = store.file;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The lines a terminal was shown, one per redraw. */
const linesOf = (shown: string): string[] => shown.split(ERASE);

describe.skipIf(!havePrerequisites('evidence progress on a terminal', SCRIPT))(
  'evidence commands on a terminal',
  () => {
    it("verify shows the chain's records of the head, then the integrity check, and clears the line", () => {
      const r = runInTerminal(['evidence', 'verify', '--db', db]);
      expect(r.status).toBe(0);
      const lines = linesOf(r.shown);
      expect(lines).toContain(
        `verifying ${db}: the chain: 0/${RECORDS.toLocaleString('en-GB')} records (0%)`,
      );
      expect(lines).toContain(`verifying ${db}: SQLite integrity check`);
      expect(r.shown).toMatch(new RegExp(`${ERASE.replace('[', '\\[')}OK: `));
    });

    it('verify --format json draws nothing', () => {
      const r = runInTerminal(['evidence', 'verify', '--db', db, '--format', 'json']);
      expect(r.status).toBe(0);
      expect(r.shown).not.toContain('\x1b[K');
      expect(r.shown.trimStart().startsWith('{')).toBe(true);
    });

    it('export shows records of the total and clears the line before its summary', () => {
      const out = join(tempDir(), 'all.csv');
      const r = runInTerminal(['evidence', 'export', '--db', db, '--format', 'csv', '--out', out]);
      expect(r.status).toBe(0);
      const lines = linesOf(r.shown);
      expect(lines).toContain(`exporting to ${out}: 0/${RECORDS.toLocaleString('en-GB')} records (0%)`);
      expect(lines.at(-1)).toMatch(/^exported 5003 record\(s\) to /);
    });

    it('export of a batch counts records without a total', () => {
      const out = join(tempDir(), 'b1.csv');
      const r = runInTerminal([
        'evidence',
        'export',
        '--db',
        db,
        '--batch',
        'B1',
        '--format',
        'csv',
        '--out',
        out,
      ]);
      expect(r.status).toBe(0);
      expect(linesOf(r.shown)).toContain(`exporting to ${out}`);
      expect(r.shown).not.toMatch(/records \(\d+%\)/);
    });

    it('backup shows pages of the total and clears the line before its summary', () => {
      const out = join(tempDir(), 'copy.db');
      const r = runInTerminal(['evidence', 'backup', '--db', db, '--out', out]);
      expect(r.status).toBe(0);
      const lines = linesOf(r.shown);
      expect(lines.some((l) => new RegExp(`^backing up to ${out}: 0/[\\d,]+ pages \\(0%\\)$`).test(l))).toBe(
        true,
      );
      expect(lines.at(-1)).toMatch(/^backed up /);
    });
  },
);

describe('evidence commands in a pipe', () => {
  it('verify, export and backup write nothing to stderr', () => {
    const out = tempDir();
    for (const args of [
      ['evidence', 'verify', '--db', db],
      ['evidence', 'export', '--db', db, '--format', 'jsonl', '--out', join(out, 'all.jsonl')],
      ['evidence', 'backup', '--db', db, '--out', join(out, 'copy.db')],
    ]) {
      const r = credline(args);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });
});

describe('backupEvidenceStore interrupted', () => {
  it('stops the copy on SIGINT, removes the new file and rejects when someone else decides the exit', async () => {
    const out = join(tempDir(), 'copy.db');
    const keepRunning = (): void => undefined; // another listener: the backup rejects instead of re-raising
    process.on('SIGINT', keepRunning);
    const taken: string[] = [];
    try {
      await expect(
        backupEvidenceStore(db, out, {
          onProgress: (_step, done) => {
            if (done === 0) process.emit('SIGINT', 'SIGINT'); // as Ctrl-C, once the copy has begun
          },
          onInterrupt: (signal) => taken.push(signal),
        }),
      ).rejects.toMatchObject({ code: 'EVIDENCE_BACKUP_INTERRUPTED', exitCode: 1 });
    } finally {
      process.off('SIGINT', keepRunning);
    }
    expect(taken).toEqual(['SIGINT']);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, '..'))).toEqual([]);
    // the store itself is untouched and readable
    const check = openDatabase(db, { readonly: true });
    check.close();
  });
});
