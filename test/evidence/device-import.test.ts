import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  IMPORT_CHECKPOINT_PAGES,
  withImportCheckpoints,
  type ImportedDevice,
} from '../../src/evidence/store/device-import.js';
import type { EvidenceStore } from '../../src/evidence/index.js';
import { verifyEvidence } from '../../src/evidence/verify/verify.js';
import { fingerprinter, newStore, passwordOf, provision, tempDir, TEST_KEY_ID } from './helpers.js';

const T = '2026-11-24T08:00:00.000Z';

/** A new store with a pinned clock (so two stores written the same way get the same chain). */
function pinnedStore(name: string): EvidenceStore {
  return newStore(join(tempDir(), name), () => new Date(T));
}

function device(serial: string, overrides: Partial<ImportedDevice> = {}): ImportedDevice {
  return {
    batchId: 'B1',
    serial,
    keyId: TEST_KEY_ID,
    schemeVersion: 1,
    attempt: 0,
    fingerprint: fingerprinter(passwordOf(serial)),
    zxcvbnScore: 4,
    zxcvbnLog10Guesses: 12.3456,
    entropyBits: 69.66,
    port: '/dev/ttyUSB0',
    stationId: 'line1',
    operator: 'op7',
    result: { result: 'PASS', readbackVerified: true },
    ...overrides,
  };
}

/** What recordIntent then recordResult write for the same devices, one device after the other. */
function recordOneByOne(store: EvidenceStore, devices: readonly ImportedDevice[]): void {
  store.transaction(() => {
    for (const { result, ...intent } of devices) store.recordResult(store.recordIntent(intent), result);
  });
}

describe('EvidenceStore.importDevices', () => {
  it('writes exactly the records recordIntent and recordResult write, in a chain that verifies', () => {
    const devices = [
      device('SN-1'),
      device('SN-2', {
        result: {
          result: 'FAIL',
          readbackVerified: false,
          reasonCode: 'readback-mismatch',
          reasonText: 'x',
        },
      }),
      device('SN-2', { attempt: 1, fingerprint: fingerprinter('other password') }),
      device('SN-1', { reprovisionReason: 'RMA 42', startedAt: '2026-11-24T07:59:00.000Z' }),
    ];
    const imported = pinnedStore('imported.db');
    const summary = imported.importDevices(devices);
    const oneByOne = pinnedStore('one-by-one.db');
    recordOneByOne(oneByOne, devices);
    expect(summary).toEqual({ devices: 4, events: 8, head: oneByOne.head() });
    expect(imported.head()).toEqual(oneByOne.head());
    imported.close();
    oneByOne.close();
    expect(verifyEvidence(imported.file)).toMatchObject({ ok: true, records: 11, problems: [] });
  });

  it('closes an open intent of an imported serial as ABORTED, as recordIntent does', () => {
    const imported = pinnedStore('imported.db');
    const oneByOne = pinnedStore('one-by-one.db');
    for (const store of [imported, oneByOne]) store.recordIntent(device('SN-5'));
    expect(imported.importDevices([device('SN-5', { attempt: 1 })])).toMatchObject({ events: 3 });
    recordOneByOne(oneByOne, [device('SN-5', { attempt: 1 })]);
    expect(imported.head()).toEqual(oneByOne.head());
    expect(imported.listIncomplete()).toEqual([]);
    expect(imported.historyOf('SN-5').events.map((e) => e.result)).toEqual([null, 'ABORTED', null, 'PASS']);
  });

  it('refuses a fingerprint another serial has, in the file or earlier in the import, and writes nothing', () => {
    const store = pinnedStore('collision.db');
    provision(store, 'SN-1');
    const head = store.head();
    const stolen = { fingerprint: fingerprinter(passwordOf('SN-1')) };
    expect(() => store.importDevices([device('SN-7'), device('SN-2', stolen)])).toThrow(
      expect.objectContaining({ code: 'FINGERPRINT_COLLISION', exitCode: 70 }),
    );
    const shared = { fingerprint: fingerprinter(passwordOf('SN-8')) };
    expect(() => store.importDevices([device('SN-8'), device('SN-9', shared)])).toThrow(
      expect.objectContaining({
        code: 'FINGERPRINT_COLLISION',
        message: expect.stringContaining(`as serial SN-8 (evidence seq ${head.seq + 1})`),
      }),
    );
    expect(store.head()).toEqual(head);
    expect(store.findFingerprint(stolen.fingerprint)).toEqual([{ serial: 'SN-1', seq: 4 }]);
  });

  it('imports a fingerprint that shares only its 16-digit indexed prefix with one in the file', () => {
    const store = pinnedStore('prefix.db');
    provision(store, 'SN-1');
    const taken = fingerprinter(passwordOf('SN-1'));
    const near = taken.slice(0, 16) + (taken[16] === '0' ? '1' : '0') + taken.slice(17);
    expect(store.importDevices([device('SN-2', { fingerprint: near })])).toMatchObject({ events: 2 });
    expect(store.findFingerprint(near)).toEqual([{ serial: 'SN-2', seq: store.head().seq - 1 }]);
  });

  it('refuses a second PASS for a serial without a re-provision reason, in the file or the import', () => {
    const store = pinnedStore('duplicate.db');
    provision(store, 'SN-1');
    const head = store.head();
    expect(() => store.importDevices([device('SN-1')])).toThrow(
      expect.objectContaining({ code: 'ALREADY_PROVISIONED', exitCode: 1 }),
    );
    expect(() => store.importDevices([device('SN-3'), device('SN-3', { attempt: 1 })])).toThrow(
      expect.objectContaining({ code: 'ALREADY_PROVISIONED' }),
    );
    expect(store.head()).toEqual(head);
    expect(store.importDevices([device('SN-1', { reprovisionReason: 'RMA 7' })])).toMatchObject({
      events: 2,
    });
  });

  it('judges "already provisioned" as the station does: by serial within the product, whatever the key', () => {
    const store = pinnedStore('product.db');
    const otherKey = '66c7a1b2c3d4e5f6';
    store.registerLineKey(otherKey, 'line 3');
    const batch = (batchId: string, profileId: string) =>
      store.ensureBatch({
        batchId,
        productType: 'camera',
        profileId,
        profileRevision: 1,
        profileHash: 'c0ffee'.padEnd(64, '1'),
        supportEndDate: '2030-12-31',
      });
    batch('B2', 'acme-cam');
    batch('B3', 'acme-doorbell');
    const passSeq = provision(store, 'SN-1') + 1;
    const head = store.head();
    const underOtherKey = (batchId: string, serial: string, n: number) =>
      device(serial, { batchId, keyId: otherKey, fingerprint: fingerprinter(`other key ${n}`) });
    let refused: unknown;
    try {
      store.importDevices([underOtherKey('B2', 'SN-1', 1)]);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      code: 'ALREADY_PROVISIONED',
      message: expect.stringContaining(
        `serial SN-1 of product acme-cam already passed (under key ${TEST_KEY_ID}, evidence seq ${passSeq})`,
      ),
    });
    expect(() =>
      store.importDevices([underOtherKey('B2', 'SN-4', 2), underOtherKey('B1', 'SN-4', 3)]),
    ).toThrow(
      expect.objectContaining({ code: 'ALREADY_PROVISIONED', message: expect.stringContaining(otherKey) }),
    );
    expect(store.head()).toEqual(head);
    expect(store.importDevices([underOtherKey('B3', 'SN-1', 4)])).toMatchObject({ events: 2 });
  });

  it('refuses what recordIntent and recordResult refuse as arguments', () => {
    const store = pinnedStore('arguments.db');
    const head = store.head();
    const refusals: [Partial<ImportedDevice>, RegExp | object][] = [
      [{ result: { result: 'PASS', readbackVerified: false } }, /verified read-back/],
      [{ fingerprint: 'not hex' }, /"fingerprint" expected 64 lowercase hex digits/],
      [{ batchId: 'B9' }, expect.objectContaining({ code: 'EVIDENCE_UNKNOWN_BATCH' })],
      [{ result: { result: 'MAYBE' as 'PASS', readbackVerified: true } }, /"result" expected PASS/],
    ];
    for (const [overrides, error] of refusals) {
      expect(() => store.importDevices([device('SN-1'), device('SN-2', overrides)])).toThrow(error);
    }
    expect(store.head()).toEqual(head);
  });
});

describe('withImportCheckpoints', () => {
  const interval = (db: Database.Database): number =>
    db.pragma('wal_autocheckpoint', { simple: true }) as number;

  it("checkpoints every IMPORT_CHECKPOINT_PAGES during the work and restores the connection's setting", () => {
    const db = new Database(join(tempDir(), 'pragma.db'));
    expect(withImportCheckpoints(db, () => interval(db))).toBe(IMPORT_CHECKPOINT_PAGES);
    expect(interval(db)).toBe(1000);
    expect(() =>
      withImportCheckpoints(db, () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(interval(db)).toBe(1000);
    db.pragma('wal_autocheckpoint = 0');
    expect(withImportCheckpoints(db, () => interval(db))).toBe(0);
    db.close();
  });
});
