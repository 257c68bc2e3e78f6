import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEvidenceStore } from '../../src/evidence/index.js';
import {
  fingerprinter,
  newStore,
  passwordOf,
  provision,
  TEST_KEY_ID,
  TEST_STATION_SEED,
  tempDir,
} from './helpers.js';

describe('evidence store', () => {
  it('creates the file 0600 in WAL mode with synchronous=FULL and foreign keys', () => {
    const store = newStore();
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(statSync(`${store.file}-wal`).mode & 0o777).toBe(0o600);
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
  });

  it('records intent then result, chained in one sequence', () => {
    const store = newStore();
    const intent = provision(store, 'SN-1');
    expect(intent).toBe(4); // station, key, batch, then the intent
    const result = store.resultOf(intent);
    expect(result).toMatchObject({
      kind: 'RESULT',
      result: 'PASS',
      readbackVerified: true,
      serial: 'SN-1',
      seq: 5,
    });
    expect(result?.prevHash).toBe(store.getEvent(4)?.rowHash);
    expect(store.head()).toEqual({ seq: 5, hash: result?.rowHash });
    expect(store.findPass('SN-1', TEST_KEY_ID)?.seq).toBe(5);
    store.close();
  });

  it('refuses a second PASS for a serial unless a re-provision reason is given', () => {
    const store = newStore();
    provision(store, 'SN-1');
    expect(() => provision(store, 'SN-1')).toThrow(expect.objectContaining({ code: 'ALREADY_PROVISIONED' }));
    const again = store.recordIntent({
      batchId: 'B1',
      serial: 'SN-1',
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprinter(passwordOf('SN-1')),
      stationId: 'line1',
      reprovisionReason: 'RMA 4411: board replaced',
    });
    expect(store.recordResult(again, { result: 'PASS', readbackVerified: true }).result).toBe('PASS');
    store.close();
  });

  it('stops the line when two serials share a fingerprint, writing nothing', () => {
    const store = newStore();
    provision(store, 'SN-1');
    const before = store.head();
    expect(() =>
      store.recordIntent({
        batchId: 'B1',
        serial: 'SN-2',
        keyId: TEST_KEY_ID,
        schemeVersion: 1,
        attempt: 0,
        fingerprint: fingerprinter(passwordOf('SN-1')),
        stationId: 'line1',
      }),
    ).toThrow(expect.objectContaining({ code: 'FINGERPRINT_COLLISION', exitCode: 70 }));
    expect(store.head()).toEqual(before);
    store.close();
  });

  it('never records PASS without a verified read-back', () => {
    const store = newStore();
    const intent = store.recordIntent({
      batchId: 'B1',
      serial: 'SN-1',
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprinter(passwordOf('SN-1')),
      stationId: 'line1',
    });
    expect(() => store.recordResult(intent, { result: 'PASS', readbackVerified: false })).toThrow(
      /read-back/,
    );
    expect(store.resultOf(intent)).toBeUndefined();
    store.close();
  });

  it('lists intents left open by a crash and closes them as ABORTED on the next provisioning', () => {
    const file = join(tempDir(), 'crash.db');
    const store = newStore(file);
    const open = store.recordIntent({
      batchId: 'B1',
      serial: 'SN-9',
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprinter(passwordOf('SN-9')),
      stationId: 'line1',
    });
    store.close(); // the station dies here
    const reopened = openEvidenceStore(file);
    expect(reopened.listIncomplete().map((e) => e.seq)).toEqual([open]);
    provision(reopened, 'SN-9');
    expect(reopened.listIncomplete()).toEqual([]);
    expect(reopened.resultOf(open)).toMatchObject({ result: 'ABORTED', reasonCode: 'interrupted' });
    expect(reopened.findPass('SN-9', TEST_KEY_ID)).toBeDefined();
    reopened.close();
  });

  it('refuses a result for an unknown or already closed intent', () => {
    const store = newStore();
    const intent = provision(store, 'SN-1');
    expect(() => store.recordResult(intent, { result: 'FAIL', readbackVerified: false })).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_INTENT_CLOSED' }),
    );
    expect(() => store.recordResult(999, { result: 'FAIL', readbackVerified: false })).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_NO_INTENT' }),
    );
    store.close();
  });

  it('keeps batches immutable: the same facts are idempotent, different facts are refused', () => {
    const store = newStore();
    const batch = store.getBatch('B1');
    expect(batch?.retentionUntil).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(() =>
      store.ensureBatch({
        batchId: 'B1',
        productType: 'camera',
        profileId: 'acme-cam',
        profileRevision: 4,
        profileHash: batch?.profileHash ?? '',
        firmware: '1.2.3',
        supportEndDate: '2030-12-31',
      }),
    ).toThrow(/profileRevision/);
    store.close();
  });

  it('signs a checkpoint of the head with the station key', () => {
    const store = newStore();
    provision(store, 'SN-1');
    const checkpoint = store.writeCheckpoint(TEST_STATION_SEED, { stationId: 'line1', reason: 'batch-end' });
    expect(checkpoint).toMatchObject({ headSeq: 5, headHash: store.head().hash, reason: 'batch-end' });
    expect(store.stats()).toMatchObject({ checkpoints: 1, unsigned: 0, events: 2 });
    store.close();
  });

  it('refuses updates and deletes of evidence at the SQL level', () => {
    const store = newStore();
    provision(store, 'SN-1');
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    expect(() => db.prepare("UPDATE provisioning_events SET serial = 'X'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM provisioning_events').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM batches').run()).toThrow(/append-only/);
    store.close();
  });
});

describe('evidence store transactions', () => {
  it('rolls back everything a failed transaction wrote, and keeps working afterwards', () => {
    const store = newStore();
    const before = store.head();
    expect(() =>
      store.transaction(() => {
        provision(store, 'SN-1');
        store.ensureBatch({
          batchId: 'B9',
          productType: 'camera',
          profileId: 'acme-cam',
          profileRevision: 1,
          profileHash: 'ab'.repeat(32),
          supportEndDate: '2030-12-31',
        });
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(store.head()).toEqual(before);
    expect(store.getBatch('B9')).toBeUndefined();
    expect(store.findPass('SN-1', TEST_KEY_ID)).toBeUndefined();
    provision(store, 'SN-1');
    expect(store.findPass('SN-1', TEST_KEY_ID)?.seq).toBe(before.seq + 2);
    store.close();
  });

  it("refuses the first station's result when a second one started the same serial meanwhile", () => {
    const store = newStore();
    const other = openEvidenceStore(store.file);
    const first = store.recordIntent({
      batchId: 'B1',
      serial: 'SN-1',
      keyId: TEST_KEY_ID,
      schemeVersion: 1,
      attempt: 0,
      fingerprint: fingerprinter(passwordOf('SN-1')),
      stationId: 'line1',
    });
    provision(other, 'SN-1');
    expect(() => store.recordResult(first, { result: 'PASS', readbackVerified: true })).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_INTENT_CLOSED' }),
    );
    expect(other.resultOf(first)?.result).toBe('ABORTED');
    other.close();
    store.close();
  });
});
