/**
 * A store for the console tests: the compliance fixture's batch (5 PASS), one FAIL with a reason, one unit refused
 * with a hostile serial and reason text (markup a device could send), and an issued statement of compliance.
 */
import { spawnSync } from 'node:child_process';
import { keyId } from '../../src/derive/key-id.js';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { createEvidenceFixture } from '../compliance/evidence-fixture.js';
import { DEMO_PRODUCT_PATH, temporaryDirectory } from '../compliance/helpers.js';
import { CLI } from '../support/sim-process.js';

export const HOSTILE_SERIAL = '<img src=x onerror="window.pwned=1">';
export const HOSTILE_REASON = '<script>window.pwned=2</script> & "quoted"';
export const BATCH = 'DEMO-B1';

export function credline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function createConsoleFixture(): string {
  const file = createEvidenceFixture({ devices: 5 });
  const store = openEvidenceStore(file);
  const common = {
    batchId: BATCH,
    keyId: keyId(Uint8Array.from({ length: 32 }, (_, i) => i)),
    schemeVersion: 1,
    stationId: 'line1',
    port: '/dev/ttyUSB1',
  };
  const intent = store.recordIntent({
    ...common,
    serial: 'DEMO-100099',
    attempt: 0,
    fingerprint: 'f'.repeat(64),
  });
  store.recordResult(intent, {
    result: 'FAIL',
    readbackVerified: false,
    reasonCode: 'nak',
    reasonText: 'the unit answered NAK to set-password',
  });
  store.recordRefusal({
    ...common,
    serial: HOSTILE_SERIAL,
    reasonCode: 'serial-invalid',
    reasonText: HOSTILE_REASON,
  });
  store.close();
  const issued = credline(
    ...['soc', 'issue', '--db', file, '--product', DEMO_PRODUCT_PATH, '--batch', BATCH],
    ...[
      '--signatory',
      'A. Person, Head of Compliance',
      '--place',
      'Exampleton',
      '--out',
      temporaryDirectory(),
    ],
  );
  if (issued.status !== 0) throw new Error(`soc issue failed: ${issued.stderr}`);
  return file;
}
