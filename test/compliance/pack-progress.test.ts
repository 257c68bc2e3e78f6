/**
 * `credline pack` on a terminal: each long step drawn as it starts (verify, the batch's export, with a line key the
 * audit's rules), the line cleared before the summary. Only the lines drawn at a step's start are asserted (drawn
 * whatever the clock says), so nothing depends on speed. In a pipe the pack writes nothing to stderr
 * (evidence-cli.test.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, TEST_KEY, TEST_PASSPHRASE_FILE } from '../cli/run-cli.js';
import { havePrerequisites } from '../support/prerequisites.js';
import { runInTerminal, SCRIPT } from '../support/in-terminal.js';
import { createEvidenceFixture } from './evidence-fixture.js';
import { DEMO_PRODUCT_PATH, temporaryDirectory } from './helpers.js';

const ERASE = '\r\x1b[K';

describe.skipIf(!havePrerequisites('pack progress on a terminal', SCRIPT))(
  'credline pack on a terminal',
  () => {
    it('shows verify, the export and the audit step by step, then clears the line before the summary', () => {
      const db = createEvidenceFixture({ devices: 4 });
      const statement = runCli([
        ...['soc', 'issue', '--db', db, '--product', DEMO_PRODUCT_PATH, '--batch', 'DEMO-B1'],
        ...[
          '--signatory',
          'A. Signer, Head of Compliance',
          '--place',
          'Exampleton',
          '--out',
          temporaryDirectory(),
        ],
      ]);
      expect(statement.status).toBe(0);
      const pack = join(temporaryDirectory(), 'pack');
      const r = runInTerminal([
        ...['pack', '--db', db, '--batch', 'DEMO-B1', '--out', pack],
        ...['--key', TEST_KEY, '--passphrase-file', TEST_PASSPHRASE_FILE],
      ]);
      expect(r.status).toBe(0);
      const lines = r.shown.split(ERASE);
      for (const step of [
        'verifying the chain: 0/',
        'SQLite integrity check',
        "exporting the batch's records",
        'auditing: unique',
        'auditing: identifier-derived, fragments: 0/4 records (0%)',
        'auditing: guessable, zxcvbn: 0/4 records (0%)',
      ])
        expect(lines.some((line) => line.startsWith(`packing batch DEMO-B1: ${step}`))).toBe(true);
      expect(lines.at(-1)).toMatch(/^wrote evidence pack /);
    });
  },
);
