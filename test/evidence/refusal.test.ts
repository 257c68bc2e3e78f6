/**
 * Refused units: a unit turned away before anything was written to it (duplicate or invalid serial, already
 * provisioned, policy exhausted) is recorded, so the evidence counts every unit the line saw. The record is an
 * intent with no attempt and no fingerprint, closed at once by a FAIL result with the reason.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredlineError } from '../../src/errors/credline-error.js';
import { startEvidenceWriter } from '../../src/evidence/writer/evidence-writer.js';
import { verifyEvidence } from '../../src/evidence/verify/verify.js';
import type { RefusalInput } from '../../src/evidence/types.js';
import { newStore, provision, TEST_KEY_ID, tempDir } from './helpers.js';

function refusal(serial: string, reasonCode: string): RefusalInput {
  return {
    batchId: 'B1',
    serial,
    keyId: TEST_KEY_ID,
    schemeVersion: 1,
    reasonCode,
    reasonText: `refused: ${reasonCode}`,
    port: '/dev/ttyUSB1',
    stationId: 'line1',
    operator: 'op7',
  };
}

describe('recordRefusal', () => {
  it('records an intent with no attempt or fingerprint and its FAIL, counted in the batch, chain intact', () => {
    const store = newStore();
    provision(store, 'DONE-1');
    const result = store.recordRefusal(refusal('DONE-1', 'already-provisioned'));
    expect(result).toMatchObject({ kind: 'RESULT', result: 'FAIL', reasonCode: 'already-provisioned' });
    expect(result.readbackVerified).toBe(false);
    const events = store.historyOf('DONE-1').events;
    expect(events.map((e) => [e.kind, e.attempt, e.fingerprint, e.result])).toEqual([
      ['INTENT', 0, expect.any(String), null],
      ['RESULT', 0, expect.any(String), 'PASS'],
      ['INTENT', null, null, null],
      ['RESULT', null, null, 'FAIL'],
    ]);
    expect(events[2]).toMatchObject({ port: '/dev/ttyUSB1', operator: 'op7', profileId: 'acme-cam' });
    expect(store.findPass('DONE-1', TEST_KEY_ID)?.seq).toBe(events[1]?.seq); // the PASS stands
    expect(store.stats().batches[0]).toMatchObject({ pass: 1, fail: 1 });
    store.close();
    expect(verifyEvidence(store.file).ok).toBe(true);
  });

  it('leaves the open intent of the unit in hand with the same serial open (it is not an interruption)', () => {
    const store = newStore();
    const open = store.recordIntent({
      batchId: 'B1',
      serial: 'TWIN-1',
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: 'ab'.repeat(32),
      stationId: 'line1',
    });
    store.recordRefusal(refusal('TWIN-1', 'duplicate-serial'));
    expect(store.listIncomplete().map((e) => e.seq)).toEqual([open]);
    expect(store.recordResult(open, { result: 'PASS', readbackVerified: true }).result).toBe('PASS');
    store.close();
  });

  it('refuses an unknown batch and bad arguments, writing nothing', () => {
    const store = newStore();
    const head = store.head().seq;
    expect(() => store.recordRefusal({ ...refusal('X-1', 'serial-invalid'), batchId: 'NOPE' })).toThrow(
      CredlineError,
    );
    expect(() => store.recordRefusal({ ...refusal('X-1', 'serial-invalid'), reasonCode: '' })).toThrow(
      /reasonCode/,
    );
    expect(store.head().seq).toBe(head);
    store.close();
  });

  it('goes through the station’s writer thread', async () => {
    const file = join(tempDir(), 'credline.db');
    const store = newStore(file);
    const writer = startEvidenceWriter(file);
    try {
      const result = await writer.recordRefusal(refusal('BAD\\x07', 'serial-invalid'));
      expect(result).toMatchObject({ serial: 'BAD\\x07', result: 'FAIL', reasonCode: 'serial-invalid' });
    } finally {
      await writer.close();
    }
    expect(store.historyOf('BAD\\x07').events).toHaveLength(2);
    store.close();
  });
});
