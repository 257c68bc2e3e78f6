/**
 * Group commit: the store's `group` (one transaction, a savepoint per work) and the station's evidence writer thread
 * built on it. A refused write is rolled back alone; everything else commits, the chain stays unbroken, and the
 * writer reports each refusal with the store's own error code.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFingerprinter } from '../../src/derive/key-id.js';
import { CredlineError } from '../../src/errors/credline-error.js';
import { startEvidenceWriter } from '../../src/evidence/writer/evidence-writer.js';
import { verifyEvidence } from '../../src/evidence/verify/verify.js';
import type { IntentInput } from '../../src/evidence/types.js';
import { newStore, passwordOf, provision, TEST_KEY_ID, TEST_LINE_KEY, tempDir } from './helpers.js';

const fingerprint = createFingerprinter(TEST_LINE_KEY);

function intentFor(serial: string): IntentInput {
  return {
    batchId: 'B1',
    serial,
    keyId: TEST_KEY_ID,
    schemeVersion: 1,
    attempt: 0,
    fingerprint: fingerprint(passwordOf(serial)),
    stationId: 'line1',
    port: '/dev/ttyUSB0',
  };
}

describe('store.group', () => {
  it('rolls back only the work that throws; the rest commit in order and the chain verifies', () => {
    const store = newStore();
    provision(store, 'DONE-1');
    const before = store.head().seq;
    const outcomes = store.group([
      () => store.recordIntent(intentFor('G-1')),
      () => store.recordIntent(intentFor('DONE-1')), // already PASS: refused
      () => store.recordIntent(intentFor('G-2')),
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const refused = outcomes[1];
    expect(refused?.ok === false && (refused.error as CredlineError).code).toBe('ALREADY_PROVISIONED');
    expect(outcomes.filter((o) => o.ok).map((o) => (o.ok ? o.value : 0))).toEqual([before + 1, before + 2]);
    expect(store.listIncomplete().map((e) => e.serial)).toEqual(['G-1', 'G-2']);
    store.close();
    expect(verifyEvidence(store.file).ok).toBe(true);
  });
});

describe('the evidence writer thread', () => {
  it('commits many ports’ concurrent intents and results, and reports refusals with their codes', async () => {
    const file = join(tempDir(), 'credline.db');
    const store = newStore(file);
    provision(store, 'DONE-1');
    const writer = startEvidenceWriter(file);
    try {
      const serials = Array.from({ length: 40 }, (_, i) => `W-${i}`);
      const results = await Promise.all(
        serials.map(async (serial) => {
          const seq = await writer.recordIntent(intentFor(serial));
          return writer.recordResult(seq, { result: 'PASS', readbackVerified: true });
        }),
      );
      expect(results.map((r) => r.result)).toEqual(serials.map(() => 'PASS'));
      const refusal = await writer.recordIntent(intentFor('DONE-1')).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(CredlineError);
      expect((refusal as CredlineError).code).toBe('ALREADY_PROVISIONED');
      const notPass = await writer
        .recordResult(results[0]?.intentSeq ?? 0, { result: 'PASS', readbackVerified: true })
        .catch((error: unknown) => error);
      expect((notPass as CredlineError).code).toBe('EVIDENCE_INTENT_CLOSED');
    } finally {
      await writer.close();
    }
    for (const serial of ['W-0', 'W-39']) expect(store.findPass(serial, TEST_KEY_ID)).toBeDefined();
    expect(store.listIncomplete()).toEqual([]);
    const closed = await writer.recordIntent(intentFor('LATE')).catch((error: unknown) => error);
    expect((closed as CredlineError).code).toBe('EVIDENCE_WRITER');
    store.close();
    const report = verifyEvidence(file);
    expect(report.ok).toBe(true);
    expect(report.records).toBe(3 + 2 + 80); // station, key, batch; DONE-1; 40 intents and results
  });

  it('answers a write sent while it closes (committed) before it closes: replies go to requests in order', async () => {
    const file = join(tempDir(), 'credline.db');
    const store = newStore(file);
    const writer = startEvidenceWriter(file);
    const closing = writer.close();
    const late = writer.recordIntent(intentFor('LATE-1'));
    await closing;
    expect(await late).toBe(store.head().seq);
    expect(store.listIncomplete().map((e) => e.serial)).toEqual(['LATE-1']);
    store.close();
  });
});
