/**
 * What the central store refuses, names and keeps as a finding: a station file edited by hand after a push
 * (re-hashed, or not), a file re-signed with another key; and what no role may do: the reader cannot insert, a
 * station cannot update or delete, and the append-only triggers stop even the owner.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralReader, registerStation, syncStation, type CentralTarget } from '../../src/central/index.js';
import { openEvidenceStore } from '../../src/evidence/index.js';
import { rehashChain, tamper } from '../evidence/tamper.js';
import { havePostgresServer } from '../support/postgres.js';
import { SECOND_STATION_SEED, serials, startCentral, stationFile, type CentralFixture } from './helpers.js';

const ready = havePostgresServer('central store tests');

async function sql(target: CentralTarget, text: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

describe.skipIf(!ready)('central refusals', () => {
  let central: CentralFixture;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(() => central?.cluster.destroy());

  it('refuses and names a file edited and re-hashed after its push, and a --full re-send finds a quiet edit', async () => {
    const { file, store } = stationFile('line1', serials('ED', 10));
    store.close();
    const pushed = await syncStation({ file, target: central.station('line1') });
    expect(pushed.findings).toEqual([]);

    // A quiet edit: the serial of seq 6 changed, nothing re-hashed (the local chain is broken, the head is not).
    tamper(file, "UPDATE provisioning_events SET serial = 'ED-FORGED' WHERE seq = 6");
    const quiet = await syncStation({ file, target: central.station('line1') });
    expect(quiet.findings).toEqual([]); // the head still matches: only a full re-send compares every row
    const full = await syncStation({ file, target: central.station('line1'), full: true });
    expect(full.findings).toMatchObject([{ kind: 'contradicts-stored', seq: 6, stationId: 'line1' }]);
    expect(full.findings[0]?.detail).toMatch(/station line1: seq 6: the file's record differs/);

    // The forger's way: re-hash the whole chain so the file verifies locally again.
    rehashChain(file);
    const forked = await syncStation({ file, target: central.station('line1') });
    expect(forked.findings).toMatchObject([{ kind: 'fork', seq: 6 }]);
    expect(forked.pushedRecords).toBe(0);

    const reader = await CentralReader.open(central.reader);
    try {
      const findings = await reader.findings();
      expect(
        findings.filter((f) => f.stationId === 'line1').map((f) => [f.stationId, f.kind, f.seq]),
      ).toEqual([
        ['line1', 'contradicts-stored', 6],
        ['line1', 'fork', 6],
      ]);
      expect((await reader.verify()).problems).toEqual([]); // the stored chain is untouched
    } finally {
      await reader.close();
    }
  });

  it('stops a push spread over two connections at the refused chunk, the chunks before it stored, none after', async () => {
    await central.addStation('mid1');
    const { file, store } = stationFile('mid1', serials('MD', 40));
    store.close();
    tamper(file, "UPDATE provisioning_events SET operator = 'forged' WHERE seq = 40");
    const report = await syncStation({ file, target: central.station('line2'), chunkRows: 16 });
    expect(report.findings).toMatchObject([{ kind: 'bad-hash', seq: 40, stationId: 'mid1' }]);
    expect(report.centralHead).toBe(32);
    expect(report.pushedRecords).toBe(32);
    const reader = await CentralReader.open(central.reader);
    try {
      expect((await reader.stats()).find((s) => s.stationId === 'mid1')).toMatchObject({
        records: 32,
        headSeq: 32,
      });
    } finally {
      await reader.close();
    }
  });

  it('refuses a file re-signed with another key before anything of it is stored', async () => {
    const { file, store } = stationFile('line2', serials('RS', 3));
    store.close();
    tamper(file, 'DELETE FROM checkpoints');
    const resigned = openEvidenceStore(file);
    resigned.writeCheckpoint(
      Uint8Array.from({ length: 32 }, (_, i) => 0x10 + i),
      { stationId: 'line2' },
    );
    resigned.close();
    const report = await syncStation({ file, target: central.station('line2') });
    expect(report.findings).toMatchObject([{ kind: 'foreign-key', stationId: 'line2' }]);
    expect(report.pushedRecords).toBe(0);
    const again = openEvidenceStore(file);
    again.writeCheckpoint(SECOND_STATION_SEED, { stationId: 'line2' }); // the right key too: the foreign one stays
    again.close();
    expect((await syncStation({ file, target: central.station('line2') })).findings[0]?.kind).toBe(
      'foreign-key',
    );
  });

  it('refuses a file shorter than what is stored, and a second key for a registered station', async () => {
    await central.addStation('short1');
    const long = stationFile('short1', serials('LG', 4));
    long.store.close();
    expect((await syncStation({ file: long.file, target: central.station('line2') })).findings).toEqual([]);
    const short = stationFile('short1', serials('LG', 2));
    short.store.close();
    const report = await syncStation({ file: short.file, target: central.station('line2') });
    expect(report.findings).toMatchObject([{ kind: 'file-behind', seq: 11, stationId: 'short1' }]);
    await expect(
      registerStation(central.owner, { stationId: 'short1', publicKey: 'ab'.repeat(32) }),
    ).rejects.toMatchObject({ code: 'CENTRAL_STATION_KEY', exitCode: 2 });
  });

  it('the server itself refuses a row that is not the hash of itself, whoever sends it', async () => {
    const row = (seq: number, hash: string): string =>
      `INSERT INTO credline.chain_records (origin_station, record_type, prev_hash, row_hash, seq, station_id, label, recorded_at)
       VALUES ('line2', 'credline.station.v1', '${'0'.repeat(64)}', '${hash}', ${seq}, 'line2', NULL, '2026-01-01T00:00:00.000Z')`;
    await expect(sql(central.station('line2'), row(1, 'a'.repeat(64)))).rejects.toMatchObject({
      code: 'CL001',
    });
    await expect(sql(central.station('line2'), row(7, 'a'.repeat(64)))).rejects.toThrow(/row_hash/);
    // a prev_hash that is no hash at all is a refusal naming the row too, not a decoding error
    await expect(
      sql(central.station('line2'), row(1, 'a'.repeat(64)).replace('0'.repeat(64), 'z'.repeat(64))),
    ).rejects.toMatchObject({
      code: 'CL001',
      message: `station line2 seq 1: prev_hash ${'z'.repeat(64)} is not a SHA-256 hash in lowercase hex`,
    });
    // line1's stored seq 2, well hashed, offered as line2's (which holds no seq 1): it links to nothing there
    await expect(
      sql(
        central.owner,
        `INSERT INTO credline.chain_records SELECT 'line2', record_type, prev_hash, row_hash, seq, kind, intent_seq,
           batch_id, serial, key_id, scheme_version, profile_id, profile_revision, profile_hash, attempt, fingerprint,
           zxcvbn_score, zxcvbn_log10_guesses, entropy_bits, result, readback_verified, reason_code, reason_text,
           reprovision_reason, port, station_id, operator, started_at, finished_at, recorded_at, label, product_type,
           firmware, support_end_date, retention_until, rule, detail, sealed_table, sealed_key, sealed_digest
         FROM credline.chain_records WHERE origin_station = 'line1' AND seq = 2`,
      ),
    ).rejects.toThrow(/station line2 seq 2: prev_hash \w+ does not link/);
  });

  it('gives the reader no insert, the station no update or delete, and stops even the owner with triggers', async () => {
    await expect(
      sql(
        central.reader,
        "INSERT INTO credline.findings (origin_station, kind, detail) VALUES ('x', 'y', 'z')",
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      sql(central.station('line1'), "UPDATE credline.chain_records SET serial = 'X'"),
    ).rejects.toMatchObject({
      code: '42501',
    });
    await expect(sql(central.station('line1'), 'DELETE FROM credline.chain_records')).rejects.toMatchObject({
      code: '42501',
    });
    await expect(sql(central.station('line1'), 'DELETE FROM credline.findings')).rejects.toMatchObject({
      code: '42501',
    });
    await expect(sql(central.owner, "UPDATE credline.chain_records SET serial = 'X'")).rejects.toMatchObject({
      code: 'CL002',
    });
    await expect(sql(central.owner, 'DELETE FROM credline.chain_records')).rejects.toMatchObject({
      code: 'CL002',
    });
    await expect(sql(central.owner, 'TRUNCATE credline.chain_records')).rejects.toMatchObject({
      code: 'CL002',
    });
  });
});
