/**
 * Batch terms: a batch is bound to its line key, password alphabet and length (as it is to its profile), its support
 * period only grows, and "already provisioned" is judged by serial within the product, whatever the key.
 */
import { describe, expect, it } from 'vitest';
import { UNAMBIGUOUS56 } from '../../src/derive/alphabet.js';
import { CredlineError } from '../../src/errors/credline-error.js';
import { verifyEvidence } from '../../src/evidence/index.js';
import { newStore, provision, TEST_KEY_ID } from './helpers.js';

const OTHER_KEY_ID = '66c7a1b2c3d4e5f6';
const terms = {
  batchId: 'B1',
  keyId: TEST_KEY_ID,
  testKey: true,
  alphabet: UNAMBIGUOUS56,
  passwordLength: 12,
};

function refusal(work: () => unknown): CredlineError {
  try {
    work();
  } catch (error) {
    if (error instanceof CredlineError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('batch terms', () => {
  it('binds a batch to its key, alphabet and length, and refuses another with what the batch holds', () => {
    const store = newStore();
    try {
      const bound = store.bindBatch(terms);
      expect(bound.terms).toMatchObject({ keyId: TEST_KEY_ID, testKey: true, supportEndDate: '2030-12-31' });
      expect(bound.extendedFrom).toBeUndefined();
      expect(store.bindBatch(terms).terms.seq).toBe(bound.terms.seq); // the same terms again: nothing new
      store.registerLineKey(OTHER_KEY_ID, 'line 3');
      const headBefore = store.head();
      const other = refusal(() => store.bindBatch({ ...terms, keyId: OTHER_KEY_ID }));
      expect(other.code).toBe('EVIDENCE_BATCH_TERMS');
      expect(other.exitCode).toBe(2);
      expect(other.message).toContain(
        `batch B1 holds line key ${TEST_KEY_ID}, alphabet "${UNAMBIGUOUS56}", length 12, profile acme-cam r3`,
      );
      expect(other.message).toContain(`support period to 2030-12-31; this run has line key ${OTHER_KEY_ID}`);
      expect(refusal(() => store.bindBatch({ ...terms, passwordLength: 16 })).message).toContain(
        'this run has length 16',
      );
      expect(store.head()).toEqual(headBefore);
    } finally {
      store.close();
    }
  });

  it('binds a batch from before batch terms to the key of its first event', () => {
    const store = newStore();
    try {
      provision(store, 'SN-1');
      store.registerLineKey(OTHER_KEY_ID, 'line 3');
      expect(refusal(() => store.bindBatch({ ...terms, keyId: OTHER_KEY_ID })).message).toContain(
        `batch B1 holds line key ${TEST_KEY_ID}`,
      );
      expect(store.bindBatch(terms).terms.keyId).toBe(TEST_KEY_ID);
    } finally {
      store.close();
    }
  });

  it('refuses an earlier support period end; records a later one as an extension, with its retention', () => {
    const store = newStore(undefined, () => new Date('2026-03-01T09:00:00.000Z'));
    try {
      store.bindBatch(terms);
      const earlier = refusal(() => store.bindBatch({ ...terms, supportEndDate: '2029-06-30' }));
      expect(earlier.code).toBe('EVIDENCE_SUPPORT_END_EARLIER');
      expect(earlier.message).toContain(
        "batch B1's support period ends 2030-12-31; --support-end 2029-06-30",
      );
      expect(earlier.message).toContain('paragraph 3(3)');
      const extended = store.bindBatch({ ...terms, supportEndDate: '2038-12-31' });
      expect(extended.extendedFrom).toBe('2030-12-31');
      expect(extended.terms).toMatchObject({ supportEndDate: '2038-12-31', retentionUntil: '2038-12-31' });
      expect(store.getBatchTerms('B1')?.supportEndDate).toBe('2038-12-31');
      expect(refusal(() => store.bindBatch({ ...terms, supportEndDate: '2031-01-01' })).message).toContain(
        'ends 2038-12-31',
      );
      expect(verifyEvidence(store.file).ok).toBe(true);
    } finally {
      store.close();
    }
  });

  it('judges "already provisioned" by serial within the product, whatever the key', () => {
    const store = newStore();
    try {
      provision(store, 'SN-1');
      store.registerLineKey(OTHER_KEY_ID, 'line 3');
      store.ensureBatch({
        batchId: 'B2',
        productType: 'camera',
        profileId: 'acme-cam',
        profileRevision: 3,
        profileHash: 'c0ffee'.padEnd(64, '0'),
        supportEndDate: '2030-12-31',
      });
      const again = refusal(() =>
        store.recordIntent({
          batchId: 'B2',
          serial: 'SN-1',
          keyId: OTHER_KEY_ID,
          schemeVersion: 1,
          attempt: 0,
          fingerprint: 'ab'.repeat(32),
          stationId: 'line1',
        }),
      );
      expect(again.code).toBe('ALREADY_PROVISIONED');
      expect(again.message).toContain(
        `serial SN-1 of product acme-cam already passed (under key ${TEST_KEY_ID}`,
      );
      expect(store.findPassInProduct('SN-1', 'acme-cam')?.keyId).toBe(TEST_KEY_ID);
      expect(store.findPassInProduct('SN-1', 'acme-router')).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
