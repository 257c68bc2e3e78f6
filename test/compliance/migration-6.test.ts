/**
 * Migration 6 rebuilds compliance_seals (its CHECK names the sealed tables, fixed at version 5) so that it admits
 * the seals of the new compliance tables. On a store made before it, holding sealed compliance rows and a signed
 * checkpoint: the seal rows are carried over byte for byte, the chain verifies to the same head before and after,
 * the append-only triggers are back, and the new tables' rows are sealed into the same chain.
 */
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appendDocument, storeFile } from '../../src/compliance/compliance-documents.js';
import { ChainWriter } from '../../src/evidence/chain/chain-writer.js';
import { signCheckpoint } from '../../src/evidence/chain/checkpoint.js';
import { migrateToLatest } from '../../src/evidence/chain/migrations.js';
import { BATCH_TYPE, LINE_KEY_TYPE, STATION_TYPE } from '../../src/evidence/chain/record-types.js';
import { LATEST_VERSION, openEvidenceStore, verifyEvidence } from '../../src/evidence/index.js';
import { PROFILE_HASH, TEST_KEY_ID, TEST_STATION_SEED } from '../evidence/helpers.js';
import { temporaryDirectory } from './helpers.js';

const T = '2025-06-02T09:00:00.000Z';

/** A store as credline left it at schema version 5: registry rows, two sealed compliance rows, a checkpoint. */
function storeAtVersion5(): string {
  const file = join(temporaryDirectory('credline-v5-'), 'v5.db');
  closeSync(openSync(file, 'w', 0o600));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrateToLatest(db, file, 4);
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
      firmware: null,
      support_end_date: '2030-12-31',
      retention_until: '2035-06-01',
      recorded_at: T,
    });
  });
  db.exec(`
    INSERT INTO product_records (product_id, revision, record_json, record_hash, support_end_date, recorded_at)
      VALUES ('cam', 1, '{"id":"cam"}', '${'ab'.repeat(32)}', '2030-12-31', '${T}');
    INSERT INTO batch_products (batch_id, product_id, recorded_at) VALUES ('B1', 'cam', '${T}');`);
  migrateToLatest(db, file, 5); // version 5 seals the two rows into the chain
  const head = db.prepare('SELECT seq, row_hash FROM compliance_seals ORDER BY seq DESC LIMIT 1').get() as {
    seq: number;
    row_hash: string;
  };
  const signed = signCheckpoint(TEST_STATION_SEED, {
    headSeq: head.seq,
    headHash: head.row_hash,
    stationId: 'line1',
    reason: 'run-end',
    createdAt: T,
  });
  db.prepare(
    `INSERT INTO checkpoints (head_seq, head_hash, station_id, public_key, reason, created_at, signature)
     VALUES (@headSeq, @headHash, @stationId, @publicKey, @reason, @createdAt, @signature)`,
  ).run(signed);
  expect(db.pragma('user_version', { simple: true })).toBe(5);
  db.close();
  return file;
}

function sealRows(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM compliance_seals ORDER BY seq').all();
  } finally {
    db.close();
  }
}

describe('migration 6 on a store made before it', () => {
  it('keeps every seal row and the verified head, restores the triggers, and seals the new tables', () => {
    const file = storeAtVersion5();
    const before = verifyEvidence(file);
    expect(before.problems).toEqual([]);
    expect(before).toMatchObject({ ok: true, schemaVersion: 5, records: 5, unsigned: 0 });
    expect(before.compliance).toMatchObject({ rows: 2, unsealed: 0 });
    const seals = sealRows(file);
    expect(seals).toHaveLength(2);

    const store = openEvidenceStore(file);
    expect(store.stats().schemaVersion).toBe(LATEST_VERSION);
    store.close();
    expect(sealRows(file)).toEqual(seals);
    const after = verifyEvidence(file);
    expect(after.problems).toEqual([]);
    expect(after).toMatchObject({ ok: true, schemaVersion: LATEST_VERSION, records: 5, unsigned: 0 });
    expect(after.head).toEqual(before.head);
    expect(after.checkpoints).toEqual(before.checkpoints);

    const raw = new Database(file);
    expect(() => raw.prepare(`UPDATE compliance_seals SET sealed_key = 'x'`).run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM compliance_seals').run()).toThrow(/append-only/);
    raw.close();

    const writer = openEvidenceStore(file);
    const document = appendDocument(
      writer,
      { kind: 'batch-audit', productId: 'cam', batchId: 'B1', document: { passed: true } },
      T,
    );
    const kept = storeFile(writer, 'supplier-statement.md', new TextEncoder().encode('# statement\n'), T);
    writer.close();
    expect(document.seq).toBe(6);
    expect(kept.seq).toBe(7);
    const grown = verifyEvidence(file);
    expect(grown.problems).toEqual([]);
    expect(grown).toMatchObject({ ok: true, records: 7, compliance: { rows: 4, unsealed: 0 } });
    expect(sealRows(file).slice(0, 2)).toEqual(seals);
  });
});
