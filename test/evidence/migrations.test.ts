import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ChainWriter } from '../../src/evidence/chain/chain-writer.js';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { userVersion } from '../../src/evidence/chain/chain-rows.js';
import { LATEST_VERSION, migrateToLatest, MIGRATIONS } from '../../src/evidence/chain/migrations.js';
import { BATCH_TYPE, LINE_KEY_TYPE, STATION_TYPE } from '../../src/evidence/chain/record-types.js';
import { verifyEvidence } from '../../src/evidence/verify/verify.js';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { provision, tempDir, TEST_KEY_ID, PROFILE_HASH } from './helpers.js';

const T = '2026-01-05T10:00:00.000Z';

/** A file as an older credline left it: migrations 1..version applied, plus registry rows when the tables exist. */
function fileAtVersion(version: number): string {
  const file = join(tempDir(), `v${version}.db`);
  closeSync(openSync(file, 'w', 0o600));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrateToLatest(db, file, version);
  if (version >= 1) {
    const chain = new ChainWriter(db);
    chain.write(() => {
      chain.append(STATION_TYPE, { station_id: 'line1', label: null, recorded_at: T });
      chain.append(LINE_KEY_TYPE, { key_id: TEST_KEY_ID, label: 'old key', recorded_at: T });
      chain.append(BATCH_TYPE, {
        batch_id: 'B1',
        product_type: 'camera',
        profile_id: 'acme-cam',
        profile_revision: 3,
        profile_hash: PROFILE_HASH,
        firmware: '1.2.3',
        support_end_date: '2030-12-31',
        retention_until: '2036-01-04',
        recorded_at: T,
      });
    });
  }
  db.close();
  return file;
}

describe('schema migrations', () => {
  it('are numbered 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  for (let version = 0; version < LATEST_VERSION; version++) {
    it(`bring a version ${version} file to version ${LATEST_VERSION}, keeping its records and chain`, () => {
      const file = fileAtVersion(version);
      const store = openEvidenceStore(file);
      expect(store.stats().schemaVersion).toBe(LATEST_VERSION);
      if (version >= 1) expect(store.getBatch('B1')).toMatchObject({ seq: 3, productType: 'camera' });
      else {
        store.ensureStation({ stationId: 'line1' });
        store.registerLineKey(TEST_KEY_ID, 'old key');
        store.ensureBatch({
          batchId: 'B1',
          productType: 'camera',
          profileId: 'acme-cam',
          profileRevision: 3,
          profileHash: PROFILE_HASH,
          supportEndDate: '2030-12-31',
        });
      }
      provision(store, 'SN-1');
      store.writeCheckpoint(
        Uint8Array.from({ length: 32 }, () => 9),
        { stationId: 'line1' },
      );
      store.close();
      const report = verifyEvidence(file);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, records: 5, schemaVersion: LATEST_VERSION, unsigned: 0 });
    });
  }

  it('are applied once when two connections open an old file', () => {
    const file = fileAtVersion(1);
    const a = openEvidenceStore(file);
    const b = openEvidenceStore(file);
    expect([a.stats().schemaVersion, b.stats().schemaVersion]).toEqual([LATEST_VERSION, LATEST_VERSION]);
    a.close();
    b.close();
  });

  it('verify checks an old file as it is, without migrating it', () => {
    const file = fileAtVersion(1);
    expect(verifyEvidence(file)).toMatchObject({ ok: true, schemaVersion: 1, records: 3 });
    const db = new Database(file, { readonly: true });
    expect(userVersion(db)).toBe(1);
    db.close();
  });

  it('seal the compliance rows a version 4 file holds: verify reports them unsealed until a write open', () => {
    const file = fileAtVersion(4);
    const db = new Database(file);
    db.exec(`
      INSERT INTO product_records (product_id, revision, record_json, record_hash, support_end_date, recorded_at)
        VALUES ('cam', 1, '{"id":"cam"}', '${'ab'.repeat(32)}', '2030-12-31', '${T}');
      INSERT INTO batch_products (batch_id, product_id, recorded_at) VALUES ('B1', 'cam', '${T}');`);
    db.close();
    expect(verifyEvidence(file)).toMatchObject({
      ok: true,
      records: 3,
      compliance: { rows: 2, unsealed: 2 },
    });
    openEvidenceStore(file).close();
    const report = verifyEvidence(file);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, records: 5, compliance: { rows: 2, unsealed: 0 } });
    const sealed = new Database(file, { readonly: true });
    expect(
      sealed.prepare('SELECT seq, sealed_table, sealed_key FROM compliance_seals ORDER BY seq').all(),
    ).toEqual([
      { seq: 4, sealed_table: 'product_records', sealed_key: '1' },
      { seq: 5, sealed_table: 'batch_products', sealed_key: 'B1' },
    ]);
    sealed.close();
  });

  it('refuse a file written by a newer credline', () => {
    const file = fileAtVersion(LATEST_VERSION);
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => openEvidenceStore(file)).toThrow(expect.objectContaining({ code: 'EVIDENCE_TOO_NEW' }));
  });

  it('refuse a SQLite file that is not an evidence store, and a file that is not SQLite', () => {
    const other = join(tempDir(), 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => openEvidenceStore(other)).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_NOT_CREDLINE' }),
    );
    const text = join(tempDir(), 'notes.db');
    writeFileSync(
      text,
      'this is not a database, just some text that is long enough to have a header\n'.repeat(20),
    );
    expect(() => openEvidenceStore(text)).toThrow(expect.objectContaining({ code: 'EVIDENCE_OPEN' }));
  });
});
